"""Database plumbing shared by every service: engine, models, migrations."""
