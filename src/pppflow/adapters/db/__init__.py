"""The database: one schema of tables, engines and migrations, repositories and the unit of work."""
