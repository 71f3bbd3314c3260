/* A memo of Graphviz's text measurements (see include/linkage_text_memo.h).
 *
 * Written by hand because no library does this: Graphviz 2.42 measures every span again
 * through its textlayout plugin, and the only way in is a textlayout plugin of our own. It
 * relies on:
 *   - the plugin interface of the public headers (gvplugin.h, gvplugin_textlayout.h,
 *     textspan.h) and libgvc's exported gvNEWcontext, gvAddLibrary, gvconfig, gvplugin_load,
 *     gvtextlayout_select and gvtextlayout (the last four declared only in its private
 *     headers); gvContext() is agattr + gvNEWcontext + gvconfig (libgvc 2.42-2.43), and gvconfig
 *     ends by selecting the textlayout engine of highest quality among those installed;
 *   - the Pango plugin (libgvplugin_pango, package "cairo" in config6a), which gvContext()
 *     loads to select it and which the memo loads when it first needs it, exporting its
 *     library as `gvplugin_pango_LTX_library` with one textlayout engine;
 *   - what that engine reads and writes (plugin/pango/gvtextlayout_pango.c): it reads the
 *     span's text, font name, size, flags and PostScript alias (the alias follows from the
 *     name: textfont_dict sets it from the name alone, so the memo keys on the name), and
 *     sets size, yoffset_layout, yoffset_centerline and the PangoLayout (layout, free_layout),
 *     which only the cairo renderers draw; with a font path to fill in (-v) it writes that
 *     too, so such calls bypass the memo. Its result depends on nothing else.
 * A span Pango cannot measure (it returns FALSE and Graphviz estimates) is never stored. */
#define _GNU_SOURCE
#include "linkage_text_memo.h"

#include <graphviz/gvplugin.h>
#include <graphviz/gvplugin_textlayout.h>
#include <graphviz/textspan.h>

#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Exported by libgvc (nm -D), declared only in its private gvcproc.h. */
extern int gvtextlayout_select(GVC_t *gvc);
extern boolean gvtextlayout(GVC_t *gvc, textspan_t *span, char **fontpath);
extern void gvconfig(GVC_t *gvc, boolean rescan);
extern gvplugin_available_t *gvplugin_load(GVC_t *gvc, api_t api, const char *type);

/* The bound: past this many spans the memo is emptied and starts again (some 15 MB at most;
 * a 1,000-element plan in two languages, 2,004 figures, stores 18,725 spans); a test by hand
 * may compile with a smaller -DMEMO_LIMIT to go through the emptying. */
#ifndef MEMO_LIMIT
#define MEMO_LIMIT 50000
#endif

typedef struct {
    char *text;                 /* NULL: empty slot; one block holding text and font name */
    char *fontname;
    double fontsize;
    unsigned int flags;
    uint64_t hash;
    pointf size;
    double yoffset_layout, yoffset_centerline;
} memo_entry;

static gvtextlayout_engine_t *pango_engine;  /* the engine we wrap, once loaded */
static GVC_t *memo_gvc;                      /* the context, to load Pango's plugin from */
static int pango_unavailable;                /* loading it was tried and failed */
static int installed;                        /* ours is the engine Graphviz measures with */
static int memo_active;
static memo_entry *table;                    /* open addressing, capacity a power of two */
static size_t capacity, used;
static unsigned long long hits, misses, calls;

static uint64_t hash_bytes(uint64_t h, const void *data, size_t length) {
    const unsigned char *p = data;
    for (size_t i = 0; i < length; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

static uint64_t span_hash(const textspan_t *span) {
    uint64_t h = 1469598103934665603ull;
    h = hash_bytes(h, span->str, strlen(span->str) + 1);
    h = hash_bytes(h, span->font->name, strlen(span->font->name) + 1);
    h = hash_bytes(h, &span->font->size, sizeof(double));
    unsigned int flags = span->font->flags;
    return hash_bytes(h, &flags, sizeof flags);
}

static int matches(const memo_entry *e, uint64_t hash, const textspan_t *span) {
    const textfont_t *font = span->font;
    return e->hash == hash && e->fontsize == font->size && e->flags == font->flags && strcmp(e->text, span->str) == 0
        && strcmp(e->fontname, font->name) == 0;
}

/* The slot holding the span, or the empty slot where it belongs. */
static memo_entry *find(uint64_t hash, const textspan_t *span) {
    size_t mask = capacity - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        memo_entry *e = &table[i];
        if (!e->text || matches(e, hash, span)) return e;
    }
}

static void clear(void) {
    for (size_t i = 0; i < capacity; i++) free(table[i].text);
    memset(table, 0, capacity * sizeof(memo_entry));
    used = 0;
}

/* Keeps the table at most half full; 0 when memory runs out (the span is then not stored). */
static int make_room(void) {
    if (used >= MEMO_LIMIT) clear();
    if (capacity && (used + 1) * 2 <= capacity) return 1;
    size_t new_capacity = capacity ? capacity * 2 : 1024;
    memo_entry *new_table = calloc(new_capacity, sizeof(memo_entry));
    if (!new_table) return 0;
    for (size_t i = 0; i < capacity; i++) {
        if (!table[i].text) continue;
        size_t j = (size_t)table[i].hash & (new_capacity - 1);
        while (new_table[j].text) j = (j + 1) & (new_capacity - 1);
        new_table[j] = table[i];
    }
    free(table);
    table = new_table;
    capacity = new_capacity;
    return 1;
}

static void store(uint64_t hash, const textspan_t *span) {
    if (!make_room()) return;
    size_t text_length = strlen(span->str), name_length = strlen(span->font->name);
    char *block = malloc(text_length + name_length + 2);
    if (!block) return;
    memcpy(block, span->str, text_length + 1);
    memcpy(block + text_length + 1, span->font->name, name_length + 1);
    memo_entry *e = find(hash, span);
    e->text = block;
    e->fontname = block + text_length + 1;
    e->fontsize = span->font->size;
    e->flags = span->font->flags;
    e->hash = hash;
    e->size = span->size;
    e->yoffset_layout = span->yoffset_layout;
    e->yoffset_centerline = span->yoffset_centerline;
    used++;
}

static gvtextlayout_engine_t *loaded_pango_engine(void);

/* Pango's engine, its plugin loaded the first time a span needs it (a run whose spans all come
 * from a loaded store never loads it, nor the 38 libraries it brings); NULL when it cannot be
 * loaded. */
static gvtextlayout_engine_t *pango(void) {
    if (!pango_engine && !pango_unavailable && memo_gvc) {
        /* "type:dependency:package": the textlayout of the package named cairo, which is
         * Pango's plugin (config6a); "textlayout:cairo" would name a dependency, and return
         * the memo itself. */
        gvplugin_load(memo_gvc, API_textlayout, "textlayout::cairo");
        pango_engine = loaded_pango_engine();
        pango_unavailable = !pango_engine;
    }
    return pango_engine;
}

/* Pango's measurement, or FALSE (Graphviz then estimates) when Pango cannot be loaded. */
static boolean measure_with_pango(textspan_t *span, char **fontpath) {
    gvtextlayout_engine_t *engine = pango();
    return engine ? engine->textlayout(span, fontpath) : FALSE;
}

static int probing; /* linkage_graphviz_context is checking that Graphviz calls us */
static int answer_from_store(uint64_t hash, textspan_t *span);

static boolean memo_textlayout(textspan_t *span, char **fontpath) {
    calls++;
    if (probing) return FALSE;
    if (!memo_active || fontpath || !span->str || !span->font || !span->font->name)
        return measure_with_pango(span, fontpath);
    uint64_t hash = span_hash(span);
    if (capacity) {
        memo_entry *e = find(hash, span);
        if (e->text) {
            hits++;
            span->size = e->size;
            span->yoffset_layout = e->yoffset_layout;
            span->yoffset_centerline = e->yoffset_centerline;
            span->layout = NULL;
            span->free_layout = NULL;
            return TRUE;
        }
    }
    if (answer_from_store(hash, span)) {
        hits++;
        return TRUE;
    }
    boolean measured = measure_with_pango(span, fontpath);
    if (measured) {
        misses++;
        store(hash, span);
    }
    return measured;
}

static gvtextlayout_engine_t memo_engine = { memo_textlayout };

/* Quality 1000: ahead of Pango (10) and gd (2). */
static gvplugin_installed_t memo_types[] = {
    { 0, "textlayout", 1000, &memo_engine, NULL },
    { 0, NULL, 0, NULL, NULL },
};

static gvplugin_api_t memo_apis[] = {
    { API_textlayout, memo_types },
    { (api_t)0, NULL },
};

static gvplugin_library_t memo_library = { "linkage_text_memo", memo_apis };

/* The path of the loaded Pango plugin, the one gvContext() loaded (whatever its directory). */
static int find_pango_plugin(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    const char *name = info->dlpi_name;
    if (!name || !*name) return 0;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    if (strncmp(base, "libgvplugin_pango.so", strlen("libgvplugin_pango.so")) != 0) return 0;
    *(const char **)data = name;
    return 1;
}

static gvtextlayout_engine_t *loaded_pango_engine(void) {
    const char *path = NULL;
    dl_iterate_phdr(find_pango_plugin, &path);
    if (!path) return NULL;
    /* Already loaded: this only takes a reference, which is kept for the life of the process. */
    void *handle = dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
    if (!handle) return NULL;
    gvplugin_library_t *library = dlsym(handle, "gvplugin_pango_LTX_library");
    if (!library || !library->apis) return NULL;
    for (gvplugin_api_t *api = library->apis; api->types; api++) {
        if (api->api != API_textlayout) continue;
        for (gvplugin_installed_t *type = api->types; type->type; type++) {
            gvtextlayout_engine_t *engine = type->engine;
            if (strcmp(type->type, "textlayout") == 0 && engine && engine->textlayout) return engine;
        }
    }
    return NULL;
}

GVC_t *linkage_graphviz_context(void) {
    /* What gvContext() does (libgvc 2.42-2.43: agattr, gvNEWcontext with demand loading,
     * gvconfig), with the memo's library added before gvconfig selects the textlayout engine:
     * gvconfig then selects the memo (quality 1000) without loading Pango's plugin, which
     * gvContext() loads at once to select it. */
    agattr(NULL, AGNODE, "label", "\\N");
    GVC_t *gvc = gvNEWcontext(NULL, TRUE);
    if (!gvc) return NULL;
    gvAddLibrary(gvc, &memo_library);
    gvconfig(gvc, FALSE);
    memo_gvc = gvc;
    /* Check that Graphviz measures through us: one span, which the memo's engine counts and
     * declines without passing it to Pango. */
    textfont_t font = { .name = "linkage-text-memo-probe", .size = 10.0 };
    textspan_t probe = { .str = "x", .font = &font };
    unsigned long long before = calls;
    probing = 1;
    gvtextlayout(gvc, &probe, NULL);
    probing = 0;
    installed = calls > before;
    if (!installed) {
        /* Another engine was selected: leave Graphviz with its own choice and no memo. */
        memo_gvc = NULL;
    }
    return gvc;
}

void linkage_text_memo_set_active(int active) { memo_active = active && installed; }

unsigned long long linkage_text_memo_hits(void) { return hits; }
unsigned long long linkage_text_memo_misses(void) { return misses; }
unsigned long long linkage_text_memo_calls(void) { return calls; }
unsigned long linkage_text_memo_count(void) { return (unsigned long)used; }

/* The memo kept between runs (linkage_text_memo_export / _import): a header, then each span as
 * [u64 hash][u32 text length][u32 font name length][u32 flags][f64 font size][f64 width]
 * [f64 height][f64 yoffset_layout][f64 yoffset_centerline][text][font name], in this machine's
 * byte order. Written by hand because the table is ours and a run that draws one figure must
 * not pay for loading the measurements of hundreds (a JSON decoder, or even copying every span
 * into the memo, costs more than Pango measuring that figure): a loaded store is checked whole,
 * kept as it is and indexed by the hashes it holds, and a span is copied into the memo only when
 * a layout asks for it. Doubles go through as bytes, so what is answered is exactly what Pango
 * returned. A record whose hash is wrong is never found (a lookup compares every field), so a
 * damaged hash costs a measurement, never a wrong answer. */
static const char store_magic[8] = { 'L', 'K', 'T', 'M', 'E', 'M', 'O', '2' };
enum { record_header = 8 + 3 * 4 + 5 * 8, longest_string = 1 << 16 };

typedef struct {
    uint64_t hash;
    uint32_t text_length, name_length, flags;
    double numbers[5]; /* font size, width, height, yoffset_layout, yoffset_centerline */
    const unsigned char *text, *name;
} stored_span;

static unsigned char *loaded;        /* the store loaded, as it was read */
static size_t loaded_length;
static size_t *loaded_index;         /* open addressing: offset + 1 of a record, 0 empty */
static size_t loaded_capacity, loaded_count;

/* Whether a span can be kept in a store: what import checks. Spans Graphviz measured may fail
 * it (a font size of 0 in a hand-written DOT, an empty font name): they stay in the memo of the
 * process and are left out of the store, so that a store is never refused for them. */
static int storable(size_t text_length, size_t name_length, unsigned int flags, const double numbers[5]) {
    if (flags >= 128) return 0; /* textfont_t.flags has 7 bits */
    if (text_length > longest_string || name_length == 0 || name_length > longest_string) return 0;
    for (int i = 0; i < 5; i++) {
        /* finite, and no negative size: anything else was not written by Pango through us */
        if (!(numbers[i] - numbers[i] == 0)) return 0;
    }
    return numbers[0] > 0 && numbers[1] >= 0 && numbers[2] >= 0;
}

/* Reads the record at *p (within end) and moves past it; 0 when it is damaged. */
static int read_record(const unsigned char **p, const unsigned char *end, stored_span *r) {
    if ((size_t)(end - *p) < record_header) return 0;
    memcpy(&r->hash, *p, 8);
    memcpy(&r->text_length, *p + 8, 4);
    memcpy(&r->name_length, *p + 12, 4);
    memcpy(&r->flags, *p + 16, 4);
    memcpy(r->numbers, *p + 20, sizeof r->numbers);
    *p += record_header;
    if (!storable(r->text_length, r->name_length, r->flags, r->numbers)) return 0;
    if ((size_t)(end - *p) < (size_t)r->text_length + r->name_length) return 0;
    r->text = *p;
    r->name = *p + r->text_length;
    if (memchr(r->text, 0, r->text_length) || memchr(r->name, 0, r->name_length)) return 0;
    *p += r->text_length + r->name_length;
    return 1;
}

static int record_matches(const stored_span *r, const char *text, const char *name, double fontsize, unsigned int flags) {
    return r->numbers[0] == fontsize && r->flags == flags && strlen(text) == r->text_length
        && memcmp(r->text, text, r->text_length) == 0 && strlen(name) == r->name_length
        && memcmp(r->name, name, r->name_length) == 0;
}

/* The loaded record of this span, if the store holds it. */
static int loaded_lookup(uint64_t hash, const textspan_t *span, stored_span *found) {
    if (!loaded_capacity) return 0;
    size_t mask = loaded_capacity - 1;
    for (size_t i = (size_t)hash & mask; loaded_index[i]; i = (i + 1) & mask) {
        const unsigned char *p = loaded + loaded_index[i] - 1;
        stored_span r;
        if (!read_record(&p, loaded + loaded_length, &r)) continue;
        if (r.hash == hash && record_matches(&r, span->str, span->font->name, span->font->size, span->font->flags)) {
            *found = r;
            return 1;
        }
    }
    return 0;
}

/* Answers a span from the loaded store, and keeps it in the memo; 0 when the store lacks it. */
static int answer_from_store(uint64_t hash, textspan_t *span) {
    stored_span r;
    if (!loaded_lookup(hash, span, &r)) return 0;
    span->size.x = r.numbers[1];
    span->size.y = r.numbers[2];
    span->yoffset_layout = r.numbers[3];
    span->yoffset_centerline = r.numbers[4];
    span->layout = NULL;
    span->free_layout = NULL;
    store(hash, span);
    return 1;
}

static unsigned char *put_record(unsigned char *p, uint64_t hash, const char *text, size_t text_length, const char *name,
                                 size_t name_length, uint32_t flags, const double numbers[5]) {
    uint32_t lengths[2] = { (uint32_t)text_length, (uint32_t)name_length };
    memcpy(p, &hash, 8);
    memcpy(p + 8, lengths, 8);
    memcpy(p + 16, &flags, 4);
    memcpy(p + 20, numbers, 5 * sizeof(double));
    p += record_header;
    memcpy(p, text, text_length);
    memcpy(p + text_length, name, name_length);
    return p + text_length + name_length;
}

/* Whether the memo holds the span of a loaded record (then export writes the memo's). */
static int memo_holds(const stored_span *r) {
    if (!capacity) return 0;
    size_t mask = capacity - 1;
    for (size_t i = (size_t)r->hash & mask; table[i].text; i = (i + 1) & mask) {
        const memo_entry *e = &table[i];
        if (e->hash == r->hash && record_matches(r, e->text, e->fontname, e->fontsize, e->flags)) return 1;
    }
    return 0;
}

static int entry_storable(const memo_entry *e) {
    if (!e->text) return 0;
    double numbers[5] = { e->fontsize, e->size.x, e->size.y, e->yoffset_layout, e->yoffset_centerline };
    return storable(strlen(e->text), strlen(e->fontname), e->flags, numbers);
}

size_t linkage_text_memo_export(unsigned char **out) {
    *out = NULL;
    size_t length = sizeof store_magic + 8;
    uint64_t count = 0;
    for (size_t i = 0; i < capacity; i++) {
        if (!entry_storable(&table[i])) continue;
        length += record_header + strlen(table[i].text) + strlen(table[i].fontname);
        count++;
    }
    const uint64_t memo_count = count;
    /* The loaded spans no layout asked for in this run are kept too, as long as the whole
     * stays within what an import takes. */
    const unsigned char *p = loaded ? loaded + sizeof store_magic + 8 : NULL;
    for (size_t i = 0; i < loaded_count && count < MEMO_LIMIT; i++) {
        stored_span r;
        read_record(&p, loaded + loaded_length, &r);
        if (memo_holds(&r)) continue;
        length += record_header + r.text_length + r.name_length;
        count++;
    }
    unsigned char *buffer = malloc(length), *q = buffer;
    if (!buffer) return 0;
    memcpy(q, store_magic, sizeof store_magic);
    memcpy(q + sizeof store_magic, &count, 8);
    q += sizeof store_magic + 8;
    for (size_t i = 0; i < capacity; i++) {
        const memo_entry *e = &table[i];
        if (!entry_storable(e)) continue;
        double numbers[5] = { e->fontsize, e->size.x, e->size.y, e->yoffset_layout, e->yoffset_centerline };
        q = put_record(q, e->hash, e->text, strlen(e->text), e->fontname, strlen(e->fontname), e->flags, numbers);
    }
    p = loaded ? loaded + sizeof store_magic + 8 : NULL;
    for (uint64_t i = 0, written = memo_count; i < loaded_count && written < count; i++) {
        stored_span r;
        read_record(&p, loaded + loaded_length, &r);
        if (memo_holds(&r)) continue;
        written++;
        q = put_record(q, r.hash, (const char *)r.text, r.text_length, (const char *)r.name, r.name_length, r.flags, r.numbers);
    }
    *out = buffer;
    return length;
}

long linkage_text_memo_import(const unsigned char *data, size_t length) {
    if (!installed || !data || length < sizeof store_magic + 8) return -1;
    if (memcmp(data, store_magic, sizeof store_magic) != 0) return -1;
    uint64_t count;
    memcpy(&count, data + sizeof store_magic, 8);
    if (count > MEMO_LIMIT) return -1;
    /* Check every record first: a damaged store adds nothing. */
    const unsigned char *p = data + sizeof store_magic + 8, *end = data + length;
    for (uint64_t i = 0; i < count; i++) {
        stored_span r;
        if (!read_record(&p, end, &r)) return -1;
    }
    if (p != end) return -1;
    size_t new_capacity = 1024;
    while (new_capacity < 2 * count) new_capacity *= 2;
    unsigned char *copy = malloc(length);
    size_t *index = calloc(new_capacity, sizeof(size_t));
    if (!copy || !index) {
        free(copy);
        free(index);
        return -1;
    }
    memcpy(copy, data, length);
    p = copy + sizeof store_magic + 8;
    for (uint64_t i = 0; i < count; i++) {
        const unsigned char *record = p;
        stored_span r;
        read_record(&p, copy + length, &r);
        size_t j = (size_t)r.hash & (new_capacity - 1);
        while (index[j]) j = (j + 1) & (new_capacity - 1);
        index[j] = (size_t)(record - copy) + 1;
    }
    free(loaded);
    free(loaded_index);
    loaded = copy;
    loaded_length = length;
    loaded_index = index;
    loaded_capacity = new_capacity;
    loaded_count = count;
    return (long)count;
}

static int append_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    char **list = data;
    const char *name = info->dlpi_name;
    if (!name || !*name || !*list) return 0;
    size_t old_length = strlen(*list), length = strlen(name);
    char *grown = realloc(*list, old_length + length + 2);
    if (!grown) {
        free(*list);
        *list = NULL;
        return 1;
    }
    memcpy(grown + old_length, name, length);
    grown[old_length + length] = '\n';
    grown[old_length + length + 1] = 0;
    *list = grown;
    return 0;
}

char *linkage_loaded_objects(void) {
    char *list = calloc(1, 1);
    if (list) dl_iterate_phdr(append_object, &list);
    return list;
}
