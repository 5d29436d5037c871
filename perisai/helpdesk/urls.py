from django.urls import path

from . import views_chat, views_flows, views_staff

app_name = "helpdesk"

urlpatterns = [
    # the person who needs help (public, no account)
    path("chat/", views_chat.chat, name="chat"),
    path("chat/embed/", views_chat.chat_embed, name="chat_embed"),
    path("chat/poll/", views_chat.chat_poll, name="chat_poll"),
    path("resep/", views_chat.neutral, name="neutral"),
    # staff on duty
    path("antrean/", views_staff.queue, name="queue"),
    path("percakapan/<uuid:public_id>/", views_staff.conversation, name="conversation"),
    path("percakapan/<uuid:public_id>/balas/", views_staff.conversation_reply, name="conversation_reply"),
    path("percakapan/<uuid:public_id>/ambil/", views_staff.conversation_take, name="conversation_take"),
    path("percakapan/<uuid:public_id>/tutup/", views_staff.conversation_close, name="conversation_close"),
    path("percakapan/<uuid:public_id>/kasus/", views_staff.conversation_case, name="conversation_case"),
    # flow editors
    path("alur/", views_flows.flows, name="flows"),
    path("alur/<slug:slug>/", views_flows.flow_edit, name="flow_edit"),
    path("alur/<slug:slug>/terbitkan/", views_flows.flow_publish, name="flow_publish"),
    path("alur/<slug:slug>/buang-draf/", views_flows.flow_discard, name="flow_discard"),
    path("alur/<slug:slug>/uji/", views_flows.flow_test, name="flow_test"),
]
