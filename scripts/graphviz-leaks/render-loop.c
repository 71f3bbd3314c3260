/* Renders one DOT source N times through libgraphviz, freeing everything in the documented
 * order (render data, layout, graph), the way the workbench does. Run under valgrind to see
 * what Graphviz itself leaks per render. Usage: render-loop DOT N [engine] [format] */
#include <graphviz/gvc.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    GVC_t *gvc = gvContext();
    int n = atoi(argv[2]);
    for (int i = 0; i < n; i++) {
        Agraph_t *g = agmemread(argv[1]);
        gvLayout(gvc, g, argc > 3 ? argv[3] : "dot");
        char *data;
        unsigned int length;
        gvRenderData(gvc, g, argc > 4 ? argv[4] : "svg", &data, &length);
        gvFreeRenderData(data);
        gvFreeLayout(gvc, g);
        agclose(g);
    }
    gvFreeContext(gvc);
    return 0;
}
