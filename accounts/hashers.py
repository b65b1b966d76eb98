"""Password hashing: Argon2id with OWASP's parameters (Password Storage Cheat Sheet: m=19 MiB,
t=2, p=1; ASVS 5.0 11.4.2).

Django's default, PBKDF2-SHA256 at 1,000,000 iterations, costs ~270 ms of one core per login here;
50 people logging in at 8:30 on a Monday then queue behind each other's hashes on a 2-core host
(bench/README.md, Load). Argon2id at these parameters costs ~25 ms and is memory-hard, which
PBKDF2 is not. Django's own Argon2PasswordHasher defaults to 100 MiB and 8 lanes (~180 ms here);
we only set the parameters. Existing PBKDF2 hashes stay valid and are rehashed at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
