#ifndef LINKAGE_GRAPHVIZ_H
#define LINKAGE_GRAPHVIZ_H

#include <graphviz/cgraph.h>

/// Parses DOT source like agmemread, but with an object-id discipline that numbers nodes,
/// edges and subgraphs in the order they are created.
///
/// cgraph's default discipline uses the address of each interned name as the object's id,
/// and subgraphs (clusters) are visited in id order, so the layout of a graph with clusters
/// depends on where malloc happened to put the names: in a multi-threaded process it differs
/// from run to run. Sequential ids make the layout depend on the DOT text only.
Agraph_t *linkage_read_dot(const char *source);

#endif
