import logging

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.passwords import DEMO_PASSWORD

log = logging.getLogger("accounts.security")


class UserWithOrganisationBackend(ModelBackend):
    """Load the signed-in user together with their office, court or agency.

    Every page shows the user's organisation and most scopes filter by it;
    joining it here saves one query per request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Outside a demo installation the demo accounts' public password never signs in,
        # whoever set it.
        if not settings.DEMO and password == DEMO_PASSWORD:
            log.warning("sign-in with the demo password refused: username=%r", username)
            return None
        return super().authenticate(request, username, password, **kwargs)

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("office", "court", "agency").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
