#include "reader.h"
int main(void) { return 0; }
