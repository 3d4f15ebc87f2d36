/**
 * What a gateway embeds: a device agent that serves an MQTT command only when its proof, signature,
 * freshness, revocation status and caveats all hold, and the client that sends such commands.
 * Arrives with the device-sdk issue.
 */
package io.wave.device;
