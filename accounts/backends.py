from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class UserWithOrganisationBackend(ModelBackend):
    """Load the signed-in user together with their office, court or agency.

    Every page shows the user's organisation and most scopes filter by it;
    joining it here saves one query per request.
    """

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("office", "court", "agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
