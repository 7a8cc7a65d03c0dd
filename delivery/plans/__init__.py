"""Delivery plans: initiatives, milestones, physical progress and risks.

See docs/delivery-plans.md."""
