#ifndef XBG_VERSION_H
#define XBG_VERSION_H
#define XENBINDGEN_VERSION "0.1.0"
#endif
