package io.wave.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wave.crypto.EntityId;
import io.wave.crypto.ErrorCode;
import io.wave.crypto.WaveException;
import io.wave.crypto.objects.PermissionSetRef;
import io.wave.crypto.testing.TestEntities;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The text form {@code PSET:PERM[,PERM...]@NAMESPACE/RESOURCE}, as users type it on the command line. */
class PolicyTest {
    private static final EntityId NS = TestEntities.create("policy-test/namespace").id();
    private static final EntityId SET = TestEntities.create("policy-test/permission-set").id();

    @Test
    void parse_readsEveryPart() {
        Policy p = Policy.parse("device:read,actuate@" + NS + "/building1/+/hvac");
        assertEquals(NS, p.namespace());
        assertEquals(new PermissionSetRef.Builtin("device"), p.permissionSet());
        assertEquals(List.of("actuate", "read"), p.permissionList(), "permissions are kept sorted");
        assertEquals(ResourcePattern.parse("building1/+/hvac"), p.resource());
    }

    @Test
    void parse_acceptsAnEntityDefinedPermissionSetWithItsOwnNames() {
        Policy p = Policy.parse(SET + ":open,close@" + NS + "/doors/*");
        assertEquals(new PermissionSetRef.ByEntity(SET), p.permissionSet());
        assertEquals(Set.of("open", "close"), p.permissions());
    }

    @Test
    void parse_toleratesSpacesAroundPermissions() {
        assertEquals(Policy.parse("mqtt:publish,subscribe@" + NS + "/a"),
                Policy.parse("mqtt: subscribe , publish@" + NS + "/a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"device:read@NS/a", "mqtt:publish,subscribe@NS/building1/*", "ml:infer@NS/models/+",
            "wave:decrypt@NS/*", "SET:close,open@NS/doors/front"})
    void toString_printsTheTextFormBack(String form) {
        String text = form.replace("NS", NS.toString()).replace("SET", SET.toString());
        Policy p = Policy.parse(text);
        assertEquals(text, p.toString());
        assertEquals(p, Policy.parse(p.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "device",
        "device:read",
        "device:read/NS/a",
        ":read@NS/a",
        "device:@NS/a",
        "device:read@NS",
        "device:read@NS/",
        "device:read@NS/a//b",
        "device:read@NS/a/*/b",
        "device:read@short/a",
        "device:read@NSx/a",
        "device:read,,actuate@NS/a",
        "device:read,read@NS/a",
        "device:Read@NS/a",
        "Device:read@NS/a",
        "device:read@" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" + "/a",
    })
    void parse_rejectsMalformedText(String form) {
        assertBadArgument(form.replace("NS", NS.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"device:write@NS/a", "mqtt:read@NS/a", "ml:infer,train@NS/a", "files:read@NS/a"})
    void parse_rejectsWhatNoBuiltinSetDefines(String form) {
        WaveException e = assertBadArgument(form.replace("NS", NS.toString()));
        assertTrue(e.getMessage().contains("permission set"), e.getMessage());
    }

    @Test
    void parse_explainsTheFormInTheMessage() {
        WaveException e = assertBadArgument("read everything");
        assertTrue(e.getMessage().contains("PSET:PERM"), e.getMessage());
    }

    @Test
    void construct_checksPermissionsAgainstTheSet() {
        ResourcePattern r = ResourcePattern.parse("a");
        PermissionSetRef device = new PermissionSetRef.Builtin("device");
        WaveException unknown = assertThrows(WaveException.class,
                () -> new Policy(NS, device, new TreeSet<>(Set.of("fly")), r));
        assertEquals(ErrorCode.MALFORMED, unknown.code());
        WaveException none = assertThrows(WaveException.class, () -> new Policy(NS, device, new TreeSet<>(), r));
        assertEquals(ErrorCode.MALFORMED, none.code());
    }

    @Test
    void withPermissions_narrowsToASubset() {
        Policy p = Policy.parse("device:read,actuate@" + NS + "/a");
        assertEquals(Policy.parse("device:read@" + NS + "/a"), p.withPermissions(new TreeSet<>(Set.of("read"))));
    }

    @Test
    void permissions_cannotBeChangedAfterwards() {
        Policy p = Policy.parse("device:read@" + NS + "/a");
        assertThrows(UnsupportedOperationException.class, () -> p.permissions().add("actuate"));
    }

    private static WaveException assertBadArgument(String text) {
        WaveException e = assertThrows(WaveException.class, () -> Policy.parse(text), text);
        assertEquals(ErrorCode.BAD_ARGUMENT, e.code(), text + ": " + e.getMessage());
        return e;
    }
}
