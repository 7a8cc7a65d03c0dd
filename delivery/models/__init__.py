"""All ORM models; importing this module registers every table on ``Base.metadata``."""

from delivery.models.api import ApiIdempotencyKey, ApiRateWindow, ApiToken
from delivery.models.base import Base, utcnow
from delivery.models.figures import DataQualityFlag, Figure, GoalRule
from delivery.models.ingestion import (
    IngestedFile,
    JobRun,
    RunRequest,
    RunState,
    SchedulerLease,
    Source,
    SourceGoal,
    SourceKind,
)
from delivery.models.notifications import NotificationSent
from delivery.models.pacts import BudgetAccount, GoalAccountLink, Pact, PactGoal, PactMember
from delivery.models.people import AuditEntry, SavedView, SignInAttempt, User, UserSession
from delivery.models.plans import (
    Initiative,
    InitiativeAccount,
    InitiativeGoal,
    Milestone,
    MilestoneRevision,
    ProgressReport,
    Risk,
)
from delivery.models.reviews import (
    AgendaItem,
    Commitment,
    CommitmentUpdate,
    Decision,
    EvidenceFile,
    GoalComment,
    LikelihoodAssessment,
    MeetingSeries,
    ReviewMeeting,
)
from delivery.models.strategy import Goal, Objective, ObjectiveLink, Pillar, Secretariat, SiteMeta
from delivery.models.trajectory import Trajectory, TrajectoryPoint

__all__ = [
    "AgendaItem",
    "ApiIdempotencyKey",
    "ApiRateWindow",
    "ApiToken",
    "AuditEntry",
    "Base",
    "BudgetAccount",
    "Commitment",
    "CommitmentUpdate",
    "EvidenceFile",
    "DataQualityFlag",
    "Decision",
    "Figure",
    "Goal",
    "GoalAccountLink",
    "GoalComment",
    "GoalRule",
    "IngestedFile",
    "Initiative",
    "InitiativeAccount",
    "InitiativeGoal",
    "JobRun",
    "LikelihoodAssessment",
    "NotificationSent",
    "MeetingSeries",
    "Milestone",
    "MilestoneRevision",
    "Objective",
    "ObjectiveLink",
    "Pact",
    "PactGoal",
    "PactMember",
    "Pillar",
    "ProgressReport",
    "ReviewMeeting",
    "Risk",
    "RunRequest",
    "RunState",
    "SchedulerLease",
    "SavedView",
    "Secretariat",
    "SignInAttempt",
    "SiteMeta",
    "Source",
    "SourceGoal",
    "SourceKind",
    "Trajectory",
    "TrajectoryPoint",
    "User",
    "UserSession",
    "utcnow",
]
