#include "emit.h"
void emit_rust(Spec *s, const EmitOptions *o, OutSet *out, Diag *d)
{
	(void)s; (void)o; (void)out;
	diag_error(d, NO_LOC, "Rust backend not written yet");
}
