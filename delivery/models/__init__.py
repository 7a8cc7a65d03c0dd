"""All ORM models; importing this module registers every table on ``Base.metadata``."""

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
from delivery.models.pacts import BudgetAccount, GoalAccountLink, Pact, PactGoal, PactMember
from delivery.models.people import AuditEntry, SavedView, SignInAttempt, User, UserSession
from delivery.models.reviews import (
    AgendaItem,
    Commitment,
    Decision,
    GoalComment,
    LikelihoodAssessment,
    MeetingSeries,
    ReviewMeeting,
)
from delivery.models.strategy import Goal, Objective, ObjectiveLink, Pillar, Secretariat, SiteMeta
from delivery.models.trajectory import Trajectory, TrajectoryPoint

__all__ = [
    "AgendaItem",
    "AuditEntry",
    "Base",
    "BudgetAccount",
    "Commitment",
    "DataQualityFlag",
    "Decision",
    "Figure",
    "Goal",
    "GoalRule",
    "GoalAccountLink",
    "GoalComment",
    "IngestedFile",
    "JobRun",
    "LikelihoodAssessment",
    "MeetingSeries",
    "Objective",
    "ObjectiveLink",
    "Pact",
    "PactGoal",
    "PactMember",
    "Pillar",
    "ReviewMeeting",
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
