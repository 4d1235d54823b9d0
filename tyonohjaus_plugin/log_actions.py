"""The plugin's audit-log actions: (action, what the action is, what the log entry says).

Labels of the objects logged never name a person (see each model's ``__str__``).
"""

from django.utils.translation import gettext_lazy as _

#: A screen showed an application (``core.views.AuditedReadMixin``, one entry per page shown).
APPLICATION_VIEWED = "tyonohjaus_plugin.application.viewed"

#: The retention job changed something (one entry per run, on its ``AnonymisationRun``).
ANONYMISED = "tyonohjaus_plugin.privacy.anonymised"

#: HR erased a person on request (one entry per erasure, on its ``ErasureTombstone``).
PERSON_ERASED = "tyonohjaus_plugin.person.erased"

#: HR exported a person's data (subject access).
PERSON_EXPORTED = "tyonohjaus_plugin.person.exported"

LOG_ACTIONS = [
    ("tyonohjaus_plugin.round.opened", _("Open round"), _("Round opened")),
    ("tyonohjaus_plugin.round.closed", _("Close round"), _("Round closed")),
    ("tyonohjaus_plugin.supervisor.created", _("Create supervisor"), _("Supervisor created")),
    ("tyonohjaus_plugin.supervisor.edited", _("Edit supervisor"), _("Supervisor edited")),
    ("tyonohjaus_plugin.supervisor.deleted", _("Delete supervisor"), _("Supervisor deleted")),
    (APPLICATION_VIEWED, _("View application"), _("Application viewed")),
    (
        "tyonohjaus_plugin.application.status_changed",
        _("Change application status"),
        _("Application status changed"),
    ),
    (
        "tyonohjaus_plugin.application.note_edited",
        _("Edit internal note"),
        _("Internal note edited"),
    ),
    ("tyonohjaus_plugin.matching.started", _("Start matching"), _("Matching started")),
    ("tyonohjaus_plugin.matching.pinned", _("Pin a pair"), _("Pair pinned for matching")),
    ("tyonohjaus_plugin.matching.forbidden", _("Forbid a pair"), _("Pair forbidden in matching")),
    (
        "tyonohjaus_plugin.matching.override_removed",
        _("Remove a pin or forbid"),
        _("Pin or forbid removed"),
    ),
    ("tyonohjaus_plugin.matching.confirmed", _("Confirm matches"), _("Matches confirmed")),
    (
        "tyonohjaus_plugin.matching.confirmed_off_round",
        _("Confirm an off-round supervisor"),
        _("Off-round supervisor confirmed"),
    ),
    ("tyonohjaus_plugin.meeting.moved", _("Move a meeting"), _("Meeting moved")),
    ("tyonohjaus_plugin.meeting.cancelled", _("Cancel a meeting"), _("Meeting cancelled")),
    ("tyonohjaus_plugin.meeting.held", _("Mark a meeting held"), _("Meeting marked held")),
    (
        "tyonohjaus_plugin.engagement.cancelled",
        _("Cancel an engagement"),
        _("Engagement cancelled"),
    ),
    (
        "tyonohjaus_plugin.engagement.evaluated",
        _("Answer the end evaluation"),
        _("End evaluation answered"),
    ),
    (
        "tyonohjaus_plugin.engagement.first_meeting_answered",
        _("Answer after the first meeting"),
        _("Answered after the first meeting"),
    ),
    (
        "tyonohjaus_plugin.place_offer.made",
        _("Offer a freed place"),
        _("Freed place offered to the waiting list"),
    ),
    (
        "tyonohjaus_plugin.place_offer.decided",
        _("Decide an offered place"),
        _("Offered place confirmed or dismissed"),
    ),
    (
        "tyonohjaus_plugin.engagement.times_chosen",
        _("Choose the first meeting times that suit"),
        _("First meeting times chosen"),
    ),
    (
        "tyonohjaus_plugin.engagement.time_decided",
        _("Decide the first meeting time"),
        _("First meeting time decided"),
    ),
    ("tyonohjaus_plugin.delivery.resent", _("Send a message again"), _("Message queued again")),
    (
        "tyonohjaus_plugin.application.exported",
        _("Export applications"),
        _("Applications exported"),
    ),
    (ANONYMISED, _("Anonymise personal data"), _("Personal data anonymised")),
    (PERSON_ERASED, _("Erase a person's data"), _("A person's data erased")),
    (PERSON_EXPORTED, _("Export a person's data"), _("A person's data exported")),
    (
        "tyonohjaus_plugin.engagement.declared",
        _("Declare no conflict of interest"),
        _("No conflict of interest declared"),
    ),
    (
        "tyonohjaus_plugin.engagement.conflict_declared",
        _("Declare a conflict of interest"),
        _("Conflict of interest declared"),
    ),
    (
        "tyonohjaus_plugin.supervisor.link_sent",
        _("Send a supervisor's access link"),
        _("Access link queued"),
    ),
    (
        "tyonohjaus_plugin.supervisor.links_revoked",
        _("Revoke a supervisor's access links"),
        _("Access links revoked"),
    ),
    (
        "tyonohjaus_plugin.agreement.goals_edited",
        _("Edit the agreement's goals"),
        _("Agreement goals edited"),
    ),
    (
        "tyonohjaus_plugin.agreement.acknowledged",
        _("Acknowledge the agreement"),
        _("Agreement acknowledged"),
    ),
]
