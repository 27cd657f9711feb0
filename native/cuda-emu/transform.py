"""Rewrites a native/cuda/*.cu file for the host emulation (emu.h): kernel<<<grid, block, smem, stream>>>(args);
becomes emu_launch(grid, block, smem, stream, [&] { kernel(args); }); and the dynamic shared memory a pointer."""
import re, sys
src = open(sys.argv[1]).read()
src = src.replace('#include "common.cuh"', '#include "emu_all.h"')
src = src.replace('extern __shared__ float smem[];', 'float* smem = emu_dynamic_smem();')
pat = re.compile(r'([\w:]+(?:<[\w:, ]+>)?)<<<(.*?)>>>\((.*?)\);', re.S)
n = len(pat.findall(src))
src = pat.sub(lambda m: 'emu_launch(%s, [&] { %s(%s); });' % (m.group(2), m.group(1), m.group(3)), src)
sys.stderr.write("%s: %d launches\n" % (sys.argv[1], n))
open(sys.argv[2], 'w').write(src)
