"""Drawings of an SOP, made by Graphviz from the one model.

``graphviz`` escapes text for DOT and runs Graphviz (in batches, with a cache);
``swimlane`` builds the swimlane flowchart of the web page; ``sheet_chart`` the
chart inside the procedure sheet's table; ``routing`` holds the geometry both
route with. Every symbol is pinned and every arrow routed here: ``neato -n2``
draws what it is given. Import from the module that holds a name.
"""
