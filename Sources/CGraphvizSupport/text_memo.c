/* A memo of Graphviz's text measurements (see include/linkage_text_memo.h).
 *
 * Written by hand because no library does this: Graphviz 2.42 measures every span again
 * through its textlayout plugin, and the only way in is a textlayout plugin of our own. It
 * relies on:
 *   - the plugin interface of the public headers (gvplugin.h, gvplugin_textlayout.h,
 *     textspan.h) and libgvc's exported gvAddLibrary, gvtextlayout_select and gvtextlayout;
 *     a library added later with a higher quality goes ahead of the others of its type, and
 *     gvtextlayout_select picks the first;
 *   - the Pango plugin (libgvplugin_pango), which gvContext() loads to measure text, exporting
 *     its library as `gvplugin_pango_LTX_library` with one textlayout engine;
 *   - what that engine reads and writes (plugin/pango/gvtextlayout_pango.c): it reads the
 *     span's text, font name, size, flags and PostScript alias (the alias follows from the
 *     name), and sets size, yoffset_layout, yoffset_centerline and the PangoLayout (layout,
 *     free_layout), which only the cairo renderers draw; with a font path to fill in (-v) it
 *     writes that too, so such calls bypass the memo. Its result depends on nothing else.
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

/* The bound: past this many spans the memo is emptied and starts again (some 15 MB at most;
 * a 1,000-element plan in two languages, 2,004 figures, stores 18,725 spans); a test by hand
 * may compile with a smaller -DMEMO_LIMIT to go through the emptying. */
#ifndef MEMO_LIMIT
#define MEMO_LIMIT 50000
#endif

typedef struct {
    char *text;                 /* NULL: empty slot; one block holding text and font name */
    char *fontname;
    PostscriptAlias *alias;
    double fontsize;
    unsigned int flags;
    uint64_t hash;
    pointf size;
    double yoffset_layout, yoffset_centerline;
} memo_entry;

static gvtextlayout_engine_t *pango_engine;  /* the engine we wrap */
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
    return e->hash == hash && e->fontsize == font->size && e->flags == font->flags
        && e->alias == font->postscript_alias && strcmp(e->text, span->str) == 0
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
    e->alias = span->font->postscript_alias;
    e->fontsize = span->font->size;
    e->flags = span->font->flags;
    e->hash = hash;
    e->size = span->size;
    e->yoffset_layout = span->yoffset_layout;
    e->yoffset_centerline = span->yoffset_centerline;
    used++;
}

static boolean memo_textlayout(textspan_t *span, char **fontpath) {
    calls++;
    if (!memo_active || fontpath || !span->str || !span->font || !span->font->name)
        return pango_engine->textlayout(span, fontpath);
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
    boolean measured = pango_engine->textlayout(span, fontpath);
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

int linkage_text_memo_install(GVC_t *gvc) {
    if (installed) return 1;
    if (!gvc || pango_engine) return 0;
    gvtextlayout_engine_t *engine = loaded_pango_engine();
    if (!engine) return 0;
    pango_engine = engine;
    gvAddLibrary(gvc, &memo_library);
    gvtextlayout_select(gvc);
    /* Check that Graphviz now measures through us: one span (a font name no label uses, so
     * that Pango's remembered font description is made again for the next real span). */
    textfont_t font = { .name = "linkage-text-memo-probe", .size = 10.0 };
    textspan_t probe = { .str = "x", .font = &font };
    unsigned long long before = calls;
    gvtextlayout(gvc, &probe, NULL);
    if (probe.layout && probe.free_layout) probe.free_layout(probe.layout);
    installed = calls > before;
    return installed;
}

void linkage_text_memo_set_active(int active) { memo_active = active && installed; }

unsigned long long linkage_text_memo_hits(void) { return hits; }
unsigned long long linkage_text_memo_misses(void) { return misses; }
unsigned long long linkage_text_memo_calls(void) { return calls; }
unsigned long linkage_text_memo_count(void) { return (unsigned long)used; }
