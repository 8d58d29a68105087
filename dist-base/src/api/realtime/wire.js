import { Decoder, Encoder, PacketType } from 'socket.io-parser';
/**
 * An emit argument that is already JSON text: the encoder writes it as is. Bytes on the wire are
 * the same as for the parsed value (clients see no difference); the server skips re-serialising a
 * batch per group of clients and socket.io's recursive binary scan of every event.
 */
export class PreEncoded {
    json;
    constructor(json) {
        this.json = json;
    }
}
/** socket.io's default parser, plus {@link PreEncoded} for `emit(event, preEncoded)`. */
class PreEncodedAwareEncoder extends Encoder {
    encode(packet) {
        const d = packet.data;
        if (packet.type === PacketType.EVENT && Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && d[1] instanceof PreEncoded) {
            // The socket.io v4 text packet: type, "nsp," unless the main namespace, ack id, JSON array.
            const head = `${PacketType.EVENT}${packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : ''}${packet.id ?? ''}`;
            return [`${head}[${JSON.stringify(d[0])},${d[1].json}]`];
        }
        return super.encode(packet);
    }
}
/** For the gateway's `parser` option (socket.io's documented extension point). */
export const wireParser = { Encoder: PreEncodedAwareEncoder, Decoder };
//# sourceMappingURL=wire.js.map