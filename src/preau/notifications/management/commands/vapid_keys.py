"""`preau vapid_keys`: a new VAPID key pair for web push, to put in the environment of every node."""

from django.core.management.base import BaseCommand

from preau.notifications.vapid import new_private_key, public_key_of


class Command(BaseCommand):
    help = "Affiche une nouvelle paire de clés VAPID (notifications sur les appareils)."

    def handle(self, *args, **options):
        private_key = new_private_key()
        self.stdout.write(f"PREAU_VAPID_PRIVATE_KEY={private_key}")
        self.stdout.write(f"PREAU_VAPID_PUBLIC_KEY={public_key_of(private_key)}")
