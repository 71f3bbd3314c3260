// Umbrella over the installed libgraphviz headers (apt: libgraphviz-dev).
// No Graphviz header is copied into this repository.
#ifndef LINKAGE_CGRAPHVIZ_SHIM_H
#define LINKAGE_CGRAPHVIZ_SHIM_H
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#endif
