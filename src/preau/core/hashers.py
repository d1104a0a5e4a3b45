"""Password hashing.

Argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): about 20 ms on one core, so a
2-core node hashes ~100 sign-ins a second at the morning peak, while an offline guess
still costs 19 MiB of memory. Django's default (100 MiB, 8 lanes) would let ~15 parents a
second in. Login cards and SSO do not hash at all. Figures: `make bench` (issue 8).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PreauArgon2PasswordHasher(Argon2PasswordHasher):
    algorithm = "argon2"
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
