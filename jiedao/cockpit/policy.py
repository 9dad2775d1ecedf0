"""Who may see the leaders' cockpit (registered by ``CockpitConfig``).

The wall screen shows the whole subdistrict's figures, so only the roles whose scope is the whole
subdistrict see it: the leaders (领导/督查室) it is made for, the command centre's dispatchers who
run the screen in the 指挥室, and the administrators. The cockpit has no models, so no scope rules.
"""

from jiedao.accounts.models import Role

VIEWERS = frozenset({Role.SUPERVISOR, Role.DISPATCHER, Role.ADMINISTRATOR})

ACTIONS: dict[str, frozenset[str]] = {"cockpit.view": VIEWERS}
SCOPES: dict = {}
