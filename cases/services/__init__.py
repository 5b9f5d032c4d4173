"""Every write to a case goes through a function here: one action, one transaction, one event.

Services take keyword-only arguments and an ``actor``, lock the case row, check
the transition against :mod:`cases.workflow`, write, and record a timeline event.
"""
