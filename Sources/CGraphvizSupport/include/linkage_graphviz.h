#ifndef LINKAGE_GRAPHVIZ_H
#define LINKAGE_GRAPHVIZ_H

#include <graphviz/cgraph.h>
#include <stddef.h>

/// Parses DOT source like agmemread, but with an object-id discipline that numbers nodes,
/// edges and subgraphs in the order they are created.
///
/// cgraph's default discipline uses the address of each interned name as the object's id,
/// and subgraphs (clusters) are visited in id order, so the layout of a graph with clusters
/// depends on where malloc happened to put the names: in a multi-threaded process it differs
/// from run to run. Sequential ids make the layout depend on the DOT text only.
Agraph_t *linkage_read_dot(const char *source);

/// Builds the graph `linkage_read_dot` would read from DOT text, from the text's statements
/// given as a flat list (deterministic_read.c says the format), making the calls cgraph's parser
/// makes for them: no lexing or parsing. NULL when the list is malformed.
Agraph_t *linkage_build_graph(const char *statements, size_t length);

/// Closes a graph of `linkage_read_dot` or `linkage_build_graph` (call after gvFreeLayout).
/// A built graph's objects live in one heap that goes at once, rather than node by node
/// (deterministic_read.c says why).
void linkage_close_graph(Agraph_t *graph);

/// Frees what Graphviz 2.42's nop layouts (`nop`, `nop1`, `nop2`: positions given) leave
/// behind: the node list `scan_graph_mode` allocates for every layout, which the neato plugin
/// frees only when its global `Nop` flag or a negative `pack` is still set at cleanup, and
/// neither is when the layout was asked for by name; and the clusters' array and labels that
/// `init_nop` makes and neato's cleanup never frees. Call after rendering, before
/// gvFreeLayout; harmless when there is nothing to free.
void linkage_free_nop_layout(Agraph_t *graph);

#endif
