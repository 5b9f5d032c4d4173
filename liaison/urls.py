from django.urls import path

from liaison.views import (
    common,
    imports,
    lawsuits,
    meetings,
    statistics,
    suggestions,
    supervision,
)

app_name = "liaison"

urlpatterns = [
    # 行政诉讼案件台账
    path("lawsuits/", lawsuits.lawsuit_list_page, name="lawsuits"),
    path("lawsuits/new/", lawsuits.lawsuit_new, name="lawsuit_new"),
    path("lawsuits/import/", imports.import_upload, name="import"),
    path("lawsuits/import/template/", imports.import_template, name="import_template"),
    path("lawsuits/import/<int:pk>/", imports.import_batch, name="import_batch"),
    path("lawsuits/import/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("lawsuits/<int:pk>/", lawsuits.lawsuit_page, name="lawsuit"),
    path("lawsuits/<int:pk>/edit/", lawsuits.lawsuit_edit, name="lawsuit_edit"),
    path("lawsuits/<int:pk>/defence/<int:agency_pk>/", lawsuits.defence, name="defence"),
    path("lawsuits/<int:pk>/hearings/new/", lawsuits.hearing_new, name="hearing_new"),
    path("lawsuits/<int:pk>/outcome/", lawsuits.outcome, name="outcome"),
    path(
        "lawsuits/<int:pk>/outcome/withdraw/",
        lawsuits.outcome_withdraw,
        name="outcome_withdraw",
    ),
    path("lawsuits/<int:pk>/appeal/", lawsuits.appeal, name="appeal"),
    path("lawsuits/<int:pk>/effective/", lawsuits.effective, name="effective"),
    path("lawsuits/<int:pk>/loss/<int:agency_pk>/", lawsuits.loss_analysis, name="loss_analysis"),
    path(
        "lawsuits/<int:pk>/performances/new/",
        lawsuits.performance_new,
        name="performance_new",
    ),
    path("hearings/<int:pk>/edit/", lawsuits.hearing_edit, name="hearing_edit"),
    path("appearances/<int:pk>/", lawsuits.appearance, name="appearance"),
    path("performances/<int:pk>/performed/", lawsuits.performed, name="performed"),
    path("performances/<int:pk>/enforcement/", lawsuits.enforcement, name="enforcement"),
    path("files/<int:pk>/", common.evidence_download, name="file"),
    # 司法建议台账
    path("suggestions/", suggestions.suggestion_list_page, name="suggestions"),
    path("suggestions/new/", suggestions.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", suggestions.suggestion_page, name="suggestion"),
    path("suggestions/<int:pk>/edit/", suggestions.suggestion_edit, name="suggestion_edit"),
    path("replies/<int:pk>/", suggestions.reply, name="reply"),
    path("replies/<int:pk>/check/", suggestions.check, name="check"),
    # 督察督办
    path("supervision/", supervision.supervision_list_page, name="supervision_list"),
    path("supervision/suggested/", supervision.suggested, name="supervision_suggested"),
    path("supervision/new/", supervision.supervision_new, name="supervision_new"),
    path("supervision/quick/", supervision.supervision_quick, name="supervision_quick"),
    path("supervision/<int:pk>/", supervision.supervision_page, name="supervision"),
    path("supervision/<int:pk>/respond/", supervision.respond, name="supervision_respond"),
    path("supervision/<int:pk>/return/", supervision.supervision_return, name="supervision_return"),
    path("supervision/<int:pk>/escalate/", supervision.escalate, name="supervision_escalate"),
    path("supervision/<int:pk>/close/", supervision.close, name="supervision_close"),
    path("circulars/", supervision.circulars, name="circulars"),
    path("circulars/<int:pk>/", supervision.circular_page, name="circular"),
    path("circulars/<int:pk>/<str:fmt>/", supervision.circular_file, name="circular_file"),
    # 统计分析
    path("statistics/", statistics.statistics, name="statistics"),
    path("statistics/records/", statistics.statistics_records, name="statistics_records"),
    path("statistics/export/", statistics.statistics_export, name="statistics_export"),
    path("scorecard/", meetings.scorecard, name="scorecard"),
    # 府院联席会议和年度通报
    path("meetings/", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_page, name="meeting"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/tasks/new/", meetings.task_new, name="task_new"),
    path("meetings/<int:pk>/minutes/<str:fmt>/", meetings.minutes, name="minutes"),
    path("tasks/<int:pk>/done/", meetings.task_done, name="task_done"),
    path("tasks/<int:pk>/reopen/", meetings.task_reopen, name="task_reopen"),
    path("reports/", meetings.reports, name="reports"),
    path("reports/<int:pk>/", meetings.report_page, name="report"),
    path("reports/<int:pk>/<str:fmt>/", meetings.report_file, name="report_file"),
    # 行政复议收结案数
    path("reconsideration/", supervision.reconsideration, name="reconsideration"),
    path(
        "reconsideration/<int:year>/<int:quarter>/",
        supervision.reconsideration_edit,
        name="reconsideration_edit",
    ),
]
