"""Helpers for the annotated edition of 《携手构建网络空间命运共同体》 (parts 三, 四 and 结束语)."""
