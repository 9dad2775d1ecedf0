"""The category catalogue as each process keeps it.

Every report looks its category up by code, and the catalogue changes seldom and only through
the catalogue services (:func:`jiedao.events.services.catalogue_entry_save` and friends), which
call :func:`catalogue_changed` after commit. Other processes see a change within
``CHECK_INTERVAL`` seconds (see :class:`~jiedao.core.process_cache.ProcessCache`).
"""

from jiedao.core.process_cache import ProcessCache

from .models import Category

VERSION_KEY = "jiedao:events:catalogue-version"
CHECK_INTERVAL = 5.0


def _build(version: int) -> dict[str, Category]:
    categories = Category.objects.select_related("parent", "default_department")
    return {category.code: category for category in categories}


_catalogue = ProcessCache(VERSION_KEY, _build, CHECK_INTERVAL)


def category_by_code(code: str) -> Category | None:
    """The category with ``code`` (its parent and default department loaded), shared by every
    request of the process, so read-only; None when no category has that code."""
    return _catalogue.get().get(code)


def catalogue_changed() -> None:
    """Call after a transaction that changed the catalogue has committed."""
    _catalogue.changed()


# The catalogue by id, derived from the by-code copy above and rebuilt whenever that one is: the
# public lists read an event's category id (a join of the categories made their statement cost
# more to plan than to run).
_by_id: tuple[dict[str, Category], dict[int, Category]] | None = None


def category_by_id(pk: int) -> Category | None:
    """The category with id ``pk``, like :func:`category_by_code` (shared, so read-only)."""
    global _by_id
    by_code = _catalogue.get()
    derived = _by_id
    if derived is None or derived[0] is not by_code:
        derived = _by_id = (by_code, {category.pk: category for category in by_code.values()})
    return derived[1].get(pk)
