package io.wave.device;

import io.wave.crypto.objects.ParamValue;
import io.wave.crypto.objects.ReplyBody;
import java.util.Map;

/** What a handler reports back: results (numbers or short texts) and a line for a human. */
public record HandlerResult(Map<String, ParamValue> results, String detail) {
    public HandlerResult {
        results = Map.copyOf(results);
        detail = ReplyBody.clip(detail);
    }

    public static HandlerResult ok(String detail) {
        return new HandlerResult(Map.of(), detail);
    }

    public static HandlerResult of(Map<String, ParamValue> results, String detail) {
        return new HandlerResult(results, detail);
    }
}
