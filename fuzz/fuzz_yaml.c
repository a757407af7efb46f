/* fuzz_yaml - libFuzzer target for the YAML reader, yaml_parse(json=false). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#ifdef HAVE_LIBYAML
	return fuzz_reader(data, size, FMT_YAML);
#else
	(void)data;
	(void)size;
	return 0; /* built without libyaml: nothing to fuzz */
#endif
}
