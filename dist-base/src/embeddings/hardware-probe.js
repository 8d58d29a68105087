import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
export const HARDWARE_PROBE = Symbol('HARDWARE_PROBE');
const NVIDIA_MARKERS = ['/proc/driver/nvidia/version', '/dev/nvidia0'];
/**
 * A positive answer only makes @cuda links *eligible*: onnxruntime-node lists the backends it
 * was built with, not the hardware or the CUDA libraries, so the loader still has to create a
 * CUDA session and fall through when that fails.
 */
export const defaultHardwareProbe = {
    async probe() {
        try {
            const marker = NVIDIA_MARKERS.find((p) => existsSync(p));
            if (!marker)
                return { cuda: false, detail: `no NVIDIA driver (${NVIDIA_MARKERS.join(', ')} absent)` };
            const backends = ort.listSupportedBackends().map((b) => b.name);
            if (!backends.includes('cuda'))
                return { cuda: false, detail: `${marker} present, but onnxruntime has no cuda backend (has ${backends.join(', ')})` };
            return { cuda: true, detail: `${marker} present, onnxruntime lists cuda` };
        }
        catch (err) {
            return { cuda: false, detail: `probe failed: ${err.message}` };
        }
    },
};
/** A fixed answer, for tests and for forcing CPU. */
export const staticHardwareProbe = (cuda, detail = cuda ? 'static: cuda' : 'static: cpu only') => ({
    probe: async () => ({ cuda, detail }),
});
//# sourceMappingURL=hardware-probe.js.map