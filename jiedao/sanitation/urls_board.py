from django.urls import path

from . import views_board

app_name = "sanitation_board"
urlpatterns = [
    path("", views_board.month, name="month"),
    path("publish/", views_board.publish, name="publish"),
    path("export/", views_board.export, name="export"),
    path("rules/", views_board.rules, name="rules"),
    path("tasks/", views_board.tasks, name="tasks"),
    path("tasks/<int:task_id>/done/", views_board.task_complete, name="task_complete"),
]

# The published lists for everyone, under the portal's /public/ (see config/urls.py).
public_patterns = (
    [
        path("", views_board.public_list, name="list"),
        path("<str:month>.xlsx", views_board.public_export, name="export"),
    ],
    "sanitation_lists",
)
