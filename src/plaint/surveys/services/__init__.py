"""Every write to surveys, invitations, responses, contacts and callback tasks, by subject:

- ``surveys``: create, edit, version, activate, archive; ``questions``: a survey's questions;
- ``invitations``: after a closed case, by hand, waves to the contact list, cancel, opt-out;
- ``dispatch``: what the worker sends, reminds and expires; ``links``: the secret link;
- ``responses``: answering through the link; ``callbacks``: the follow-up of a low score;
- ``imports``: CSV imports of contacts and of responses collected elsewhere;
- ``base`` and ``steps``: what those share (audit, checks, an invitation's lifecycle steps).

Each service is one transaction: lock, check permission and state, validate, change, audit, enqueue.
The names below are the public ones; callers import them from ``plaint.surveys.services``.
"""

from plaint.surveys.services.base import (
    FIXED_SCALES,
    QUESTION_FIELDS,
    SURVEY_SETTINGS,
    TEXT_LIMIT,
    survey_check_editable,
)
from plaint.surveys.services.callbacks import callback_done
from plaint.surveys.services.dispatch import (
    DueReport,
    invitation_expire,
    invitation_remind,
    invitation_send,
    surveys_process_due,
)
from plaint.surveys.services.imports import (
    DEFAULT_MISSING_TOKENS,
    META_TARGETS,
    ImportReport,
    contacts_import_csv,
    decode_upload,
    iter_csv,
    read_csv,
    responses_import_csv,
)
from plaint.surveys.services.invitations import (
    WaveReport,
    in_sample,
    invitation_cancel,
    invitation_create,
    invitation_opt_out,
    survey_invite_after_complaint,
    survey_invite_after_dispute,
    survey_invite_contacts,
)
from plaint.surveys.services.links import (
    LinkUnusable,
    invitation_for_token,
    invitation_token,
    opt_out_url,
    survey_url,
)
from plaint.surveys.services.questions import (
    question_add,
    question_clean,
    question_move,
    question_remove,
    question_update,
)
from plaint.surveys.services.responses import answer_clean, response_open, response_save
from plaint.surveys.services.surveys import (
    survey_activate,
    survey_archive,
    survey_create,
    survey_new_version,
    survey_update,
)
from plaint.surveys.services.uploads import (
    StoredUpload,
    import_max_bytes,
    import_upload_discard,
    import_upload_store,
    import_upload_text,
    read_preview,
    too_large_message,
)

__all__ = [
    "DEFAULT_MISSING_TOKENS",
    "FIXED_SCALES",
    "META_TARGETS",
    "QUESTION_FIELDS",
    "SURVEY_SETTINGS",
    "TEXT_LIMIT",
    "DueReport",
    "ImportReport",
    "LinkUnusable",
    "StoredUpload",
    "WaveReport",
    "answer_clean",
    "callback_done",
    "contacts_import_csv",
    "decode_upload",
    "import_max_bytes",
    "import_upload_discard",
    "import_upload_store",
    "import_upload_text",
    "in_sample",
    "invitation_cancel",
    "invitation_create",
    "invitation_expire",
    "invitation_for_token",
    "invitation_opt_out",
    "invitation_remind",
    "invitation_send",
    "invitation_token",
    "iter_csv",
    "opt_out_url",
    "question_add",
    "question_clean",
    "question_move",
    "question_remove",
    "question_update",
    "read_csv",
    "read_preview",
    "response_open",
    "response_save",
    "responses_import_csv",
    "survey_activate",
    "survey_archive",
    "survey_check_editable",
    "survey_create",
    "survey_invite_after_complaint",
    "survey_invite_after_dispute",
    "survey_invite_contacts",
    "survey_new_version",
    "survey_update",
    "survey_url",
    "surveys_process_due",
    "too_large_message",
]
