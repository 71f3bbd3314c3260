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
 *     name: textfont_dict sets it from the name alone, so the memo keys on the name), and
 *     sets size, yoffset_layout, yoffset_centerline and the PangoLayout (layout, free_layout), which only the cairo renderers draw; with a font path to fill in (-v) it
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

static int probing; /* linkage_text_memo_install is checking that Graphviz calls us */

static boolean memo_textlayout(textspan_t *span, char **fontpath) {
    calls++;
    if (probing) return FALSE;
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
    /* Check that Graphviz now measures through us: one span, which the memo's engine counts
     * and declines without passing it to Pango (Pango's first measurement starts fontconfig,
     * which reads its whole configuration: a run whose spans are all in the memo never pays
     * for that). */
    textfont_t font = { .name = "linkage-text-memo-probe", .size = 10.0 };
    textspan_t probe = { .str = "x", .font = &font };
    unsigned long long before = calls;
    probing = 1;
    gvtextlayout(gvc, &probe, NULL);
    probing = 0;
    installed = calls > before;
    return installed;
}

void linkage_text_memo_set_active(int active) { memo_active = active && installed; }

unsigned long long linkage_text_memo_hits(void) { return hits; }
unsigned long long linkage_text_memo_misses(void) { return misses; }
unsigned long long linkage_text_memo_calls(void) { return calls; }
unsigned long linkage_text_memo_count(void) { return (unsigned long)used; }

/* The memo kept between runs (linkage_text_memo_export / _import): a header, then each span as
 * [u32 text length][u32 font name length][u32 flags][f64 font size][f64 width][f64 height]
 * [f64 yoffset_layout][f64 yoffset_centerline][text][font name], in this machine's byte order.
 * Written by hand because the table is ours and must load in well under a millisecond per
 * thousand spans (a JSON decoder costs more than Pango measuring); doubles go through as bytes,
 * so what is loaded is exactly what Pango returned. */
static const char store_magic[8] = { 'L', 'K', 'T', 'M', 'E', 'M', 'O', '1' };
enum { record_header = 3 * 4 + 5 * 8, longest_string = 1 << 16 };

size_t linkage_text_memo_export(unsigned char **out) {
    *out = NULL;
    size_t length = sizeof store_magic + 8;
    for (size_t i = 0; i < capacity; i++) {
        if (!table[i].text) continue;
        length += record_header + strlen(table[i].text) + strlen(table[i].fontname);
    }
    unsigned char *buffer = malloc(length), *p = buffer;
    if (!buffer) return 0;
    uint64_t count = used;
    memcpy(p, store_magic, sizeof store_magic); p += sizeof store_magic;
    memcpy(p, &count, 8); p += 8;
    for (size_t i = 0; i < capacity; i++) {
        const memo_entry *e = &table[i];
        if (!e->text) continue;
        uint32_t text_length = (uint32_t)strlen(e->text), name_length = (uint32_t)strlen(e->fontname);
        uint32_t flags = e->flags;
        double numbers[5] = { e->fontsize, e->size.x, e->size.y, e->yoffset_layout, e->yoffset_centerline };
        memcpy(p, &text_length, 4); p += 4;
        memcpy(p, &name_length, 4); p += 4;
        memcpy(p, &flags, 4); p += 4;
        memcpy(p, numbers, sizeof numbers); p += sizeof numbers;
        memcpy(p, e->text, text_length); p += text_length;
        memcpy(p, e->fontname, name_length); p += name_length;
    }
    *out = buffer;
    return length;
}

/* Reads one record at *p (within end) into the arguments; 0 when it is damaged. */
static int read_record(const unsigned char **p, const unsigned char *end, uint32_t *text_length,
                       uint32_t *name_length, uint32_t *flags, double numbers[5]) {
    if ((size_t)(end - *p) < record_header) return 0;
    memcpy(text_length, *p, 4);
    memcpy(name_length, *p + 4, 4);
    memcpy(flags, *p + 8, 4);
    memcpy(numbers, *p + 12, 5 * sizeof(double));
    *p += record_header;
    if (*flags >= 128) return 0; /* textfont_t.flags has 7 bits */
    if (*text_length > longest_string || *name_length == 0 || *name_length > longest_string) return 0;
    if ((size_t)(end - *p) < (size_t)*text_length + *name_length) return 0;
    if (memchr(*p, 0, *text_length) || memchr(*p + *text_length, 0, *name_length)) return 0;
    for (int i = 0; i < 5; i++) {
        /* finite, and no negative size: anything else was not written by Pango through us */
        if (!(numbers[i] - numbers[i] == 0)) return 0;
    }
    if (numbers[0] <= 0 || numbers[1] < 0 || numbers[2] < 0) return 0;
    return 1;
}

long linkage_text_memo_import(const unsigned char *data, size_t length) {
    if (!installed || !data || length < sizeof store_magic + 8) return -1;
    if (memcmp(data, store_magic, sizeof store_magic) != 0) return -1;
    uint64_t count;
    memcpy(&count, data + sizeof store_magic, 8);
    if (count > MEMO_LIMIT) return -1;
    const unsigned char *end = data + length;
    uint32_t text_length, name_length, flags;
    double numbers[5];
    /* First check every record: a damaged store adds nothing. */
    const unsigned char *p = data + sizeof store_magic + 8;
    for (uint64_t i = 0; i < count; i++) {
        if (!read_record(&p, end, &text_length, &name_length, &flags, numbers)) return -1;
        p += text_length + name_length;
    }
    if (p != end) return -1;
    long added = 0;
    p = data + sizeof store_magic + 8;
    for (uint64_t i = 0; i < count && used + 1 < MEMO_LIMIT; i++) {
        read_record(&p, end, &text_length, &name_length, &flags, numbers);
        char *text = malloc((size_t)text_length + name_length + 2);
        if (!text) return added;
        memcpy(text, p, text_length);
        text[text_length] = 0;
        char *name = text + text_length + 1;
        memcpy(name, p + text_length, name_length);
        name[name_length] = 0;
        p += text_length + name_length;
        textfont_t font = { .name = name, .size = numbers[0], .flags = flags };
        textspan_t span = { .str = text, .font = &font };
        span.size.x = numbers[1];
        span.size.y = numbers[2];
        span.yoffset_layout = numbers[3];
        span.yoffset_centerline = numbers[4];
        uint64_t hash = span_hash(&span);
        if (!capacity || !find(hash, &span)->text) {
            store(hash, &span);
            added++;
        }
        free(text);
    }
    return added;
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
