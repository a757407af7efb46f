/* fuzz_toml - libFuzzer target for the TOML reader, toml_parse(). */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, FMT_TOML);
}
