"""The site shell: the home page and the role-dependent navigation, which draw on every domain app.

It sits above the domain apps (deputies, suggestions, supervision, …) so that ``lvzhi.core``, below
them all, imports none of them.
"""
