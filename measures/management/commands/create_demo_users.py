from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction

from measures.access import CONTRIBUTOR, COORDINATOR, VIEWER, ensure_roles
from measures.demo import DEMO_PASSWORD
from measures.management.base import TrackerCommand
from measures.models import Organisation, OrganisationKind, Profile

# username: (first name, role, (organisation abbreviation, organisation name))
DEMO_USERS = {
    "admin": ("Beheerder", None, None),
    "coordinator": ("Coördinator", COORDINATOR, ("JenV", "Ministerie van Justitie en Veiligheid")),
    "contributor": ("Bijdrager", CONTRIBUTOR, ("Politie", "Nationale Politie")),
    "viewer": ("Lezer", VIEWER, None),
}


class Command(TrackerCommand):
    help = "Create the role groups and the demo users (development only; password tracker-demo)."

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo users are only created with DJANGO_DEBUG=1; nothing was written."
            )
        ensure_roles()
        User = get_user_model()
        created = 0
        for username, (first_name, role, organisation) in DEMO_USERS.items():
            user, is_new = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            if is_new:
                user.set_password(DEMO_PASSWORD)
                user.is_staff = username in {"admin", "coordinator"}
                user.is_superuser = username == "admin"
                user.save()
                created += 1
            if role:
                user.groups.add(Group.objects.get(name=role))
            if organisation and not Profile.objects.filter(user=user).exists():
                org = find_organisation(*organisation)
                Profile.objects.create(user=user, organisation=org)
        self.stdout.write(f"Demo users ready ({created} created).")


def find_organisation(abbreviation, name):
    """Return the seeded organisation by abbreviation or name, creating it if it is missing."""
    org = (
        Organisation.objects.filter(abbreviation=abbreviation).first()
        or Organisation.objects.filter(name=name).first()
    )
    if org is None:
        kind = OrganisationKind.POLICE if abbreviation == "Politie" else OrganisationKind.MINISTRY
        org = Organisation.objects.create(name=name, abbreviation=abbreviation, kind=kind)
    return org
