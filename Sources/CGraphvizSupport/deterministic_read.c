#include "linkage_graphviz.h"

#include <stdlib.h>
#include <string.h>

/* --- An id discipline that never uses addresses ------------------------------------------ */

/* Per-graph state: the next anonymous id. cgraph reserves odd ids for anonymous objects. */
typedef struct {
    IDTYPE next;
} id_state;

static void *id_open(Agraph_t *g, Agdisc_t *disc) {
    (void)g;
    (void)disc;
    id_state *state = malloc(sizeof(id_state));
    if (state) state->next = 1;
    return state;
}

/* Named objects are refused here, so cgraph gives them the next anonymous id and keeps the
 * name in its internal map (aginternalmapinsert); agnameof finds the name there. */
static long id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag) {
    (void)objtype;
    (void)createflag;
    if (str) return 0;
    id_state *s = state;
    *id = s->next;
    s->next += 2;
    return 1;
}

static long id_alloc(void *state, int objtype, IDTYPE id) {
    (void)state;
    (void)objtype;
    (void)id;
    return 0;
}

static void id_free(void *state, int objtype, IDTYPE id) {
    (void)state;
    (void)objtype;
    (void)id;
}

static char *id_print(void *state, int objtype, IDTYPE id) {
    (void)state;
    (void)objtype;
    (void)id;
    return NULL;
}

static void id_close(void *state) { free(state); }

static void id_register(void *state, int objtype, void *obj) {
    (void)state;
    (void)objtype;
    (void)obj;
}

static Agiddisc_t sequential_ids = {id_open, id_map, id_alloc, id_free, id_print, id_close, id_register};

/* --- Reading from memory, as agmemread does --------------------------------------------- */

typedef struct {
    const char *data;
    size_t length;
    size_t position;
} memory_reader;

/* Hands the lexer one line at a time, like cgraph's own memory reader. */
static int memory_read(void *channel, char *buffer, int size) {
    memory_reader *reader = channel;
    if (size <= 0 || reader->position >= reader->length) return 0;
    int count = 0;
    char c;
    do {
        c = reader->data[reader->position++];
        buffer[count++] = c;
    } while (c != '\n' && count < size && reader->position < reader->length);
    return count;
}

Agraph_t *linkage_read_dot(const char *source) {
    memory_reader reader = {source, strlen(source), 0};
    Agiodisc_t io = AgIoDisc;
    io.afread = memory_read;
    Agdisc_t disc = {&AgMemDisc, &sequential_ids, &io};
    return agread(&reader, &disc);
}
