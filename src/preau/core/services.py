"""The services offered on the portal.

Each app registers its services in its AppConfig.ready(); the portal shows a person the
ones whose `visible_to` says yes. `core` knows no app: the predicate comes from the app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    url_name: str
    # A DSFR pictogram, as "family/name" under dsfr/dist/artwork/pictograms/.
    pictogram: str
    description: str
    visible_to: Callable[[Any], bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    @property
    def pictogram_path(self) -> str:
        return f"dsfr/dist/artwork/pictograms/{self.pictogram}.svg"


_registry: dict[str, Service] = {}


def register(service: Service) -> None:
    _registry[service.code] = service


def services_for(person: Any) -> list[Service]:
    return sorted(
        (service for service in _registry.values() if service.visible_to(person)),
        key=lambda service: (service.order, service.code),
    )
