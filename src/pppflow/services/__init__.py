"""Use cases as plain functions; each owns its transaction (`with uow: ... uow.commit()`)."""
