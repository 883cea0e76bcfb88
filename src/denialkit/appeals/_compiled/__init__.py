"""
Built-in letters precompiled by tools/build_letters.py.
"""
