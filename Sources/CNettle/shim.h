// GNU Nettle's SHA-256: the view cache keys its entries by the hash of every dataset file.
#include <nettle/sha2.h>
