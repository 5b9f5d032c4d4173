from django.urls import path

from cases.views import case, court_access, intake, mediation, records, referrals, tools

app_name = "cases"

urlpatterns = [
    path("tools/deadline/", tools.deadline_calculator, name="deadline_calculator"),
    path("reference/agencies/", tools.agency_list, name="agency_list"),
    path("reference/calendar/", tools.calendar, name="calendar"),
    path("cases/", case.case_register_list, name="list"),
    path("cases/new/", intake.register, name="register"),
    path("cases/<int:pk>/", case.case_page, name="detail"),
    path("cases/<int:pk>/edit/", records.case_edit, name="edit"),
    path("cases/<int:pk>/claims/", records.claims_edit, name="claims_edit"),
    path("cases/<int:pk>/parties/add/<slug:role>/", records.party_add, name="party_add"),
    path("cases/<int:pk>/parties/<int:party_pk>/", records.party_edit, name="party_edit"),
    path(
        "cases/<int:pk>/parties/<int:party_pk>/delete/",
        records.party_delete,
        name="party_delete",
    ),
    path(
        "cases/<int:pk>/parties/<int:party_pk>/reveal-id/",
        records.party_reveal_id,
        name="party_reveal_id",
    ),
    path(
        "cases/<int:pk>/parties/<int:party_pk>/agents/add/",
        records.agent_add,
        name="agent_add",
    ),
    path("cases/<int:pk>/agents/<int:agent_pk>/", records.agent_edit, name="agent_edit"),
    path(
        "cases/<int:pk>/agents/<int:agent_pk>/delete/",
        records.agent_delete,
        name="agent_delete",
    ),
    path("cases/<int:pk>/attachments/add/", records.attachment_upload, name="attachment_upload"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/",
        records.attachment_download,
        name="attachment_download",
    ),
    path(
        "cases/<int:pk>/attachments/<int:attachment_pk>/delete/",
        records.attachment_delete,
        name="attachment_delete",
    ),
    path("cases/<int:pk>/mediators/", mediation.assign, name="assign"),
    path(
        "cases/<int:pk>/assignments/<int:assignment_pk>/declare/",
        mediation.declare,
        name="declare",
    ),
    path(
        "cases/<int:pk>/assignments/<int:assignment_pk>/waiver/",
        mediation.waiver,
        name="waiver",
    ),
    path("cases/<int:pk>/sessions/new/", mediation.session_new, name="session_new"),
    path("cases/<int:pk>/sessions/<int:session_pk>/", mediation.session_page, name="session"),
    path(
        "cases/<int:pk>/sessions/<int:session_pk>/scan/",
        mediation.session_scan,
        name="session_scan",
    ),
    path(
        "cases/<int:pk>/sessions/<int:session_pk>/cancel/",
        mediation.session_cancel,
        name="session_cancel",
    ),
    path("cases/<int:pk>/undisputed-facts/", mediation.undisputed_facts, name="undisputed_facts"),
    path("cases/<int:pk>/extensions/new/", mediation.extension_new, name="extension_new"),
    path(
        "cases/<int:pk>/extensions/<int:extension_pk>/decide/",
        mediation.extension_decide,
        name="extension_decide",
    ),
    path(
        "cases/<int:pk>/extensions/<int:extension_pk>/court-told/",
        mediation.extension_court_told,
        name="extension_court_told",
    ),
    path("cases/<int:pk>/terminations/new/", mediation.termination_new, name="termination_new"),
    path(
        "cases/<int:pk>/terminations/<int:termination_pk>/decide/",
        mediation.termination_decide,
        name="termination_decide",
    ),
    path(
        "cases/<int:pk>/court-access/transcripts/new/",
        court_access.transcript_access_new,
        name="transcript_access_new",
    ),
    path(
        "cases/<int:pk>/court-access/transcripts/<int:access_pk>/withdraw/",
        court_access.transcript_access_withdraw,
        name="transcript_access_withdraw",
    ),
    path(
        "cases/<int:pk>/court-access/transfer/",
        court_access.transfer_package,
        name="transfer_package",
    ),
    path("cases/<int:pk>/<slug:action>/", case.case_action, name="action"),
    path("agenda/", mediation.agenda, name="agenda"),
    path("court/reports/", mediation.court_reports, name="court_reports"),
    path(
        "court/reports/<int:report_pk>/receive/",
        mediation.court_report_receive,
        name="court_report_receive",
    ),
    path("referrals/", referrals.referral_list, name="referrals"),
    path("referrals/new/", intake.referral_new, name="referral_new"),
    path("referrals/record/", intake.referral_record, name="referral_record"),
]
