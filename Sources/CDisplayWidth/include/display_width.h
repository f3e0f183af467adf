#ifndef PARAMCOUNT_DISPLAY_WIDTH_H
#define PARAMCOUNT_DISPLAY_WIDTH_H

/* Columns a Unicode scalar takes in a terminal, as the C library's wcwidth() says under a UTF-8
   locale (C.UTF-8), whatever the process locale is. -1 when it is not printable; -2 when no UTF-8
   locale exists. */
int pc_scalar_width(unsigned int scalar);

#endif
