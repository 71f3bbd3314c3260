#include "linkage_graphviz.h"

#include <graphviz/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- A memory discipline that frees a figure's graph at once ---------------------------- */

/* cgraph allocates every object, attribute value and dictionary of a graph through its memory
 * discipline, and agclose on a root graph whose discipline has a `close` frees the whole heap
 * with that one call, instead of deleting node by node: each deletion looks the node's strings
 * up again in the strcmp-ordered dictionaries, and that walk was 14 % of drawing a figure
 * (issue 9). Here a graph's heap is an arena: blocks carved from large zeroed chunks (cgraph
 * expects calloc's zeroes), never reused while the graph lives (a figure's graph is built,
 * laid out once, rendered and closed), all freed by `close`. Only cgraph's own allocations go
 * here; Graphviz's layout and render data (malloc) are freed by gvFreeLayout as before. */

#define ARENA_CHUNK (256 * 1024)
#define ARENA_ALIGN 16

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size; /* bytes of data */
    size_t used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
} arena_chunk;

typedef struct id_state id_state;
static void id_close(void *state);

typedef struct {
    arena_chunk *head; /* the chunk blocks are carved from; large blocks are chained after it */
    id_state *ids;     /* the graph's id discipline state: agclose does not close it when the heap goes at once */
} arena;

static void *arena_open(Agdisc_t *disc) {
    (void)disc;
    return calloc(1, sizeof(arena));
}

static arena_chunk *arena_chunk_new(size_t size) {
    arena_chunk *chunk = calloc(1, sizeof(arena_chunk) + size);
    if (chunk) chunk->size = size;
    return chunk;
}

static void *arena_alloc(void *heap, size_t request) {
    arena *a = heap;
    size_t n = (request + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (n == 0) n = ARENA_ALIGN;
    if (a->head && a->head->size - a->head->used >= n) {
        void *block = a->head->data + a->head->used;
        a->head->used += n;
        return block;
    }
    if (n > ARENA_CHUNK / 4) { /* a block of its own, so that the current chunk's room is kept */
        arena_chunk *chunk = arena_chunk_new(n);
        if (!chunk) return NULL;
        chunk->used = n;
        if (a->head) {
            chunk->next = a->head->next;
            a->head->next = chunk;
        } else {
            a->head = chunk;
        }
        return chunk->data;
    }
    arena_chunk *chunk = arena_chunk_new(ARENA_CHUNK);
    if (!chunk) return NULL;
    chunk->next = a->head;
    a->head = chunk;
    chunk->used = n;
    return chunk->data;
}

static void *arena_resize(void *heap, void *ptr, size_t old, size_t request) {
    if (!ptr) return arena_alloc(heap, request);
    if (request <= old) return ptr;
    void *block = arena_alloc(heap, request); /* zeroed beyond `old`, as cgraph's resize */
    if (block) memcpy(block, ptr, old);
    return block;
}

static void arena_free(void *heap, void *ptr) {
    (void)heap;
    (void)ptr;
}

static void arena_close(void *heap) {
    arena *a = heap;
    if (!a) return;
    if (a->ids) id_close(a->ids);
    for (arena_chunk *chunk = a->head, *next; chunk; chunk = next) {
        next = chunk->next;
        free(chunk);
    }
    free(a);
}

static Agmemdisc_t arena_memory = {arena_open, arena_alloc, arena_resize, arena_free, arena_close};

/* The dictionaries cgraph opened for a graph: cdt allocates each dictionary's header with malloc
 * (its contents come from the graph's heap), and agclose's whole-heap path does not close them.
 * They are the node, edge and subgraph sets of the graph and of each subgraph, the attribute
 * dictionaries of each, the string dictionary and the internal name maps (cgraph.h's Agraph_s,
 * Agdatadict_s and Agclos_s); the memory test over thousands of renders finds any other. */
typedef struct {
    Dict_t **items;
    size_t count, capacity;
} dict_list;

static int dict_push(dict_list *list, Dict_t *dict) {
    if (!dict) return 1;
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 64;
        Dict_t **items = realloc(list->items, capacity * sizeof(Dict_t *));
        if (!items) return 0;
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = dict;
    return 1;
}

static int collect_dicts(Agraph_t *g, dict_list *list) {
    Agdatadict_t *attributes = (Agdatadict_t *)aggetrec(g, "_AG_datadict", 0);
    if (!dict_push(list, g->n_seq) || !dict_push(list, g->n_id) || !dict_push(list, g->e_seq) || !dict_push(list, g->e_id)
        || !dict_push(list, g->g_dict))
        return 0;
    if (attributes && (!dict_push(list, attributes->dict.n) || !dict_push(list, attributes->dict.e) || !dict_push(list, attributes->dict.g)))
        return 0;
    for (Agraph_t *sub = agfstsubg(g); sub; sub = agnxtsubg(sub)) {
        if (!collect_dicts(sub, list)) return 0;
    }
    return 1;
}

static int compare_pointers(const void *a, const void *b) {
    uintptr_t x = (uintptr_t)*(Dict_t *const *)a, y = (uintptr_t)*(Dict_t *const *)b;
    return x < y ? -1 : x > y;
}

void linkage_close_graph(Agraph_t *graph) {
    if (!graph) return;
    if (graph->clos->disc.mem != &arena_memory) {
        agclose(graph);
        return;
    }
    dict_list list = {0};
    int complete = collect_dicts(graph, &list) && dict_push(&list, graph->clos->strdict);
    for (int kind = 0; complete && kind < 3; kind++) {
        complete = dict_push(&list, graph->clos->lookup_by_name[kind]) && dict_push(&list, graph->clos->lookup_by_id[kind]);
    }
    agclose(graph);
    /* Each header once (a list that could not grow leaks what it missed rather than fail). */
    if (list.count) qsort(list.items, list.count, sizeof(Dict_t *), compare_pointers);
    for (size_t i = 0; i < list.count; i++) {
        if (i == 0 || list.items[i] != list.items[i - 1]) free(list.items[i]);
    }
    free(list.items);
}

/* --- An id discipline that never uses addresses ------------------------------------------ */

/* Per graph: ids are handed out 1, 2, 3... in creation order, for named and anonymous objects
 * alike. Names live in a small hash table (name -> id) and an array (id -> name). */
typedef struct {
    char *name;
    IDTYPE id;
} id_entry;

struct id_state {
    IDTYPE next;
    id_entry *table;   /* open addressing; name == NULL: empty; id == 0: removed */
    size_t capacity;   /* a power of two */
    size_t used;       /* occupied slots, removed ones included */
    char **names;      /* names[id], NULL for anonymous or freed ids */
    size_t names_capacity;
};

/* Graphviz's writers (dot, plain, json...) ask `aghtmlstr(name)` whether a name is an HTML
 * string, by reading a flag in the header cgraph puts before every string it allocates
 * (refstr_t: a Dtlink_t, the reference count holding the flag, a pointer). A name allocated
 * with plain strdup has no such header: the flag is read from whatever lies before it on the
 * heap, and names came out as `<m10>` now and then. Names are therefore allocated after a
 * zeroed prefix larger than that header. */
#define NAME_PREFIX 64

static char *name_dup(const char *str) {
    size_t length = strlen(str);
    char *block = calloc(1, NAME_PREFIX + length + 1);
    if (!block) return NULL;
    memcpy(block + NAME_PREFIX, str, length + 1);
    return block + NAME_PREFIX;
}

static void name_free(char *name) {
    if (name) free(name - NAME_PREFIX);
}

static size_t hash_name(const char *s) {
    size_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void *id_open(Agraph_t *g, Agdisc_t *disc) {
    id_state *state = calloc(1, sizeof(id_state));
    if (!state) return NULL;
    state->next = 1;
    state->capacity = 64;
    state->table = calloc(state->capacity, sizeof(id_entry));
    if (!state->table) {
        free(state);
        return NULL;
    }
    if (disc->mem == &arena_memory) ((arena *)g->clos->state.mem)->ids = state;
    return state;
}

static id_entry *find_slot(id_state *s, const char *name) {
    size_t mask = s->capacity - 1;
    size_t i = hash_name(name) & mask;
    id_entry *removed = NULL;
    for (;;) {
        id_entry *e = &s->table[i];
        if (!e->name) return removed ? removed : e;
        if (e->id == 0) {
            if (!removed) removed = e;
        } else if (strcmp(e->name, name) == 0) {
            return e;
        }
        i = (i + 1) & mask;
    }
}

static int grow_table(id_state *s) {
    id_entry *old = s->table;
    size_t old_capacity = s->capacity;
    id_entry *table = calloc(old_capacity * 2, sizeof(id_entry));
    if (!table) return 0;
    s->table = table;
    s->capacity = old_capacity * 2;
    s->used = 0;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].name && old[i].id != 0) {
            *find_slot(s, old[i].name) = old[i];
            s->used++;
        } else if (old[i].name) {
            name_free(old[i].name);
        }
    }
    free(old);
    return 1;
}

static int remember_name(id_state *s, IDTYPE id, char *name) {
    if (id >= s->names_capacity) {
        size_t capacity = s->names_capacity ? s->names_capacity * 2 : 64;
        while (capacity <= id) capacity *= 2;
        char **names = realloc(s->names, capacity * sizeof(char *));
        if (!names) return 0;
        memset(names + s->names_capacity, 0, (capacity - s->names_capacity) * sizeof(char *));
        s->names = names;
        s->names_capacity = capacity;
    }
    s->names[id] = name;
    return 1;
}

static long id_map(void *state, int objtype, char *str, IDTYPE *id, int createflag) {
    (void)objtype;
    id_state *s = state;
    if (!str) {
        *id = s->next++;
        return 1;
    }
    id_entry *e = find_slot(s, str);
    if (e->name && e->id != 0) {
        *id = e->id;
        return 1;
    }
    if (!createflag) return 0;
    if ((s->used + 1) * 2 > s->capacity) {
        if (!grow_table(s)) return 0;
        e = find_slot(s, str);
    }
    char *copy = name_dup(str);
    if (!copy) return 0;
    if (e->name) name_free(e->name); /* reusing a removed slot */
    else s->used++;
    e->name = copy;
    e->id = s->next++;
    if (!remember_name(s, e->id, copy)) return 0;
    *id = e->id;
    return 1;
}

static long id_alloc(void *state, int objtype, IDTYPE id) {
    (void)state;
    (void)objtype;
    (void)id;
    return 0;
}

/* Marks the name's slot as removed; its string is freed with the table. */
static void id_free(void *state, int objtype, IDTYPE id) {
    (void)objtype;
    id_state *s = state;
    if (id < s->names_capacity && s->names[id]) {
        id_entry *e = find_slot(s, s->names[id]);
        if (e->name && e->id == id) e->id = 0;
        s->names[id] = NULL;
    }
}

static char *id_print(void *state, int objtype, IDTYPE id) {
    (void)objtype;
    id_state *s = state;
    return id < s->names_capacity ? s->names[id] : NULL;
}

static void id_close(void *state) {
    id_state *s = state;
    if (!s) return;
    for (size_t i = 0; i < s->capacity; i++) name_free(s->table[i].name);
    free(s->table);
    free(s->names);
    free(s);
}

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

/* --- The nop layouts' node list ---------------------------------------------------------- */

/* Exported by libgvc (lib/common/labels.c); not in its public headers. */
extern void free_label(textlabel_t *label);

static void free_nop_clusters(Agraph_t *graph) {
    for (int i = 1; i <= GD_n_cluster(graph); i++) {
        Agraph_t *cluster = GD_clust(graph)[i];
        if (!cluster || !AGDATA(cluster)) continue;
        free_nop_clusters(cluster);
        free_label(GD_label(cluster));
        GD_label(cluster) = NULL;
    }
    free(GD_clust(graph));
    GD_clust(graph) = NULL;
    GD_n_cluster(graph) = 0;
}

void linkage_free_nop_layout(Agraph_t *graph) {
    if (!graph || !AGDATA(graph)) return;
    free(GD_neato_nlist(graph));
    GD_neato_nlist(graph) = NULL;
    /* init_nop reads clusters with a bb (add_cluster: the cluster array and each cluster's
     * label); neato's cleanup frees neither. */
    free_nop_clusters(graph);
}

/* --- Building a graph from statements, as the DOT parser would ---------------------------- */

/* The renderer's figures are written as DOT and handed to Graphviz; for its own renders the
 * same statements are passed as a flat list instead, and this makes the calls cgraph's parser
 * (lib/cgraph/grammar.y: attrstmt, appendnode, endnode, endedge, opensubg, closesubg) makes for
 * them, in the same order, on a graph opened with the same disciplines: the graph, and so the
 * drawing, is the one the DOT text gives, without lexing and parsing it (a sixth of
 * `run sdg-mapping` on a plan of 1,000 elements, issue 9). Tests render both ways and compare.
 *
 * The list: 'D' name — a directed graph (first, once); 'A' kind count (name value)* — an
 * attribute statement (kind 'g', 'n' or 'e'); 'N' name count (name value)* — a node;
 * 'E' tail head count (name value)* — an edge; 'S' name — a subgraph opens; 'P' — it closes.
 * Strings are NUL-terminated, counts one byte. Values are as the lexer leaves them. */

typedef struct {
    const char *cursor;
    const char *end;
} statement_reader;

static const char *next_string(statement_reader *r) {
    const char *start = r->cursor;
    const char *nul = memchr(start, '\0', (size_t)(r->end - start));
    if (!nul) return NULL;
    r->cursor = nul + 1;
    return start;
}

static int next_byte(statement_reader *r) {
    if (r->cursor >= r->end) return -1;
    return (unsigned char)*r->cursor++;
}

enum { MAX_STATEMENT_ATTRIBUTES = 255, MAX_SUBGRAPH_DEPTH = 64 };

typedef struct {
    int count;
    const char *names[MAX_STATEMENT_ATTRIBUTES];
    const char *values[MAX_STATEMENT_ATTRIBUTES];
    Agsym_t *symbols[MAX_STATEMENT_ATTRIBUTES];
} attribute_list;

static int read_attributes(statement_reader *r, attribute_list *list) {
    int count = next_byte(r);
    if (count < 0) return 0;
    list->count = count;
    for (int i = 0; i < count; i++) {
        if (!(list->names[i] = next_string(r)) || !(list->values[i] = next_string(r))) return 0;
    }
    return 1;
}

/* The symbols bind_attributes found, by graph, kind and name: a figure's nodes name the same
 * dozen attributes each, and agattr looks each up in a dictionary ordered by strcmp (a twentieth
 * of the rendering thread's time in a 1,000-element `run sdg-mapping`). Emptied by every
 * attribute statement, which may declare a name locally and so change what agattr finds; a
 * symbol, once found, stays what agattr answers for that graph until then. Open addressing,
 * and when it is three quarters full it answers nothing more (agattr is asked). */
enum { SYMBOL_SLOTS = 512 };

typedef struct {
    const Agraph_t *graph;
    int kind;
    uint64_t hash;
    const char *name;
    Agsym_t *symbol;
} symbol_slot;

typedef struct {
    symbol_slot slots[SYMBOL_SLOTS];
    int used;
} symbol_cache;

static uint64_t symbol_hash(const Agraph_t *g, int kind, const char *name) {
    uint64_t hash = 0xcbf29ce484222325ULL ^ (uint64_t)(uintptr_t)g ^ ((uint64_t)kind << 56);
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) hash = (hash ^ *c) * 0x100000001b3ULL;
    return hash;
}

static void symbol_cache_clear(symbol_cache *cache) {
    if (cache->used) memset(cache->slots, 0, sizeof cache->slots);
    cache->used = 0;
}

/* grammar.y's bindattrs: each name looked up in the current graph, declared with an empty
 * default when missing. */
static void bind_attributes(Agraph_t *g, int kind, attribute_list *list, symbol_cache *cache) {
    for (int i = 0; i < list->count; i++) {
        char *name = (char *)list->names[i];
        uint64_t hash = symbol_hash(g, kind, name);
        size_t slot = (size_t)hash & (SYMBOL_SLOTS - 1);
        Agsym_t *symbol = NULL;
        for (; cache->slots[slot].name; slot = (slot + 1) & (SYMBOL_SLOTS - 1)) {
            const symbol_slot *s = &cache->slots[slot];
            if (s->hash == hash && s->graph == g && s->kind == kind && strcmp(s->name, name) == 0) {
                symbol = s->symbol;
                break;
            }
        }
        if (!symbol) {
            if (!(symbol = agattr(g, kind, name, NULL))) symbol = agattr(g, kind, name, "");
            if (symbol && cache->used < SYMBOL_SLOTS * 3 / 4) {
                cache->slots[slot] = (symbol_slot){g, kind, hash, name, symbol};
                cache->used++;
            }
        }
        list->symbols[i] = symbol;
    }
}

/* grammar.y's applyattrs. */
static void apply_attributes(void *object, attribute_list *list) {
    for (int i = 0; i < list->count; i++) {
        if (list->symbols[i]) agxset(object, list->symbols[i], (char *)list->values[i]);
    }
}

Agraph_t *linkage_build_graph(const char *statements, size_t length) {
    statement_reader r = {statements, statements + length};
    if (next_byte(&r) != 'D') return NULL;
    const char *graph_name = next_string(&r);
    if (!graph_name) return NULL;
    Agdesc_t description = Agdirected;
    description.maingraph = 1;
    Agdisc_t disc = {&arena_memory, &sequential_ids, &AgIoDisc};
    Agraph_t *root = agopen((char *)graph_name, description, &disc);
    if (!root) return NULL;
    Agraph_t *stack[MAX_SUBGRAPH_DEPTH];
    int depth = 0;
    Agraph_t *g = root;
    attribute_list list;
    static symbol_cache cache; /* large; used with the Graphviz lock held, as all of this */
    symbol_cache_clear(&cache);
    for (;;) {
        int op = next_byte(&r);
        if (op < 0) break;
        switch (op) {
        case 'A': {
            int kind = next_byte(&r);
            kind = kind == 'g' ? AGRAPH : kind == 'n' ? AGNODE : kind == 'e' ? AGEDGE : -1;
            if (kind < 0 || !read_attributes(&r, &list)) goto broken;
            /* grammar.y's attrstmt. */
            bind_attributes(g, kind, &list, &cache);
            for (int i = 0; i < list.count; i++) {
                Agsym_t *symbol = list.symbols[i];
                if (!symbol->fixed || g != root) symbol = agattr(g, kind, symbol->name, (char *)list.values[i]);
                if (g == root && symbol) symbol->print = 1;
            }
            /* A declaration in a subgraph makes a local symbol: what the cache found before
             * is no longer what agattr finds there. */
            symbol_cache_clear(&cache);
            break;
        }
        case 'N': {
            const char *name = next_string(&r);
            if (!name || !read_attributes(&r, &list)) goto broken;
            Agnode_t *node = agnode(g, (char *)name, 1);
            if (!node) goto broken;
            bind_attributes(g, AGNODE, &list, &cache);
            apply_attributes(node, &list);
            break;
        }
        case 'E': {
            const char *tail_name = next_string(&r), *head_name = next_string(&r);
            if (!tail_name || !head_name || !read_attributes(&r, &list)) goto broken;
            Agnode_t *tail = agnode(g, (char *)tail_name, 1);
            Agnode_t *head = agnode(g, (char *)head_name, 1);
            if (!tail || !head) goto broken;
            bind_attributes(g, AGEDGE, &list, &cache);
            Agedge_t *edge = agedge(g, tail, agsubnode(g, head, 0), NULL, 1);
            if (edge) apply_attributes(edge, &list);
            break;
        }
        case 'S': {
            const char *name = next_string(&r);
            if (!name || depth == MAX_SUBGRAPH_DEPTH) goto broken;
            Agraph_t *subgraph = agsubg(g, (char *)name, 1);
            if (!subgraph) goto broken;
            stack[depth++] = g;
            g = subgraph;
            break;
        }
        case 'P':
            if (depth == 0) goto broken;
            g = stack[--depth];
            break;
        default:
            goto broken;
        }
    }
    if (depth != 0) goto broken;
    aginternalmapclearlocalnames(root);
    return root;
broken:
    linkage_close_graph(root);
    return NULL;
}
