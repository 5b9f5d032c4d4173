"""Demo data: fictitious office, courts, agencies, accounts and cases (``manage.py seed_demo``).

Installed only in development (DEBUG) or when DJANGO_DEMO is true, so a
production deployment has no command that creates accounts with a public password.
"""
