"""Synthetic demonstration data: no real people, every record made up.

``painpath.demo.users.ensure_demo_users`` creates one user per role; ``painpath.demo.patients``
generates patients with assessments (through the real triage), questionnaires (through the real
scoring) on plausible trajectories, treatment histories, consents, notes and alerts.
"""
