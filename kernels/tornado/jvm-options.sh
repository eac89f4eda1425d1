# Sourced by ./omx and bench scripts: sets TORNADO_OPTS to the JVM options a TornadoVM program
# needs (those `tornado --printJavaFlags` prints), for the SDK at $1. The Maven build keeps the same
# list in the root pom's tornado.jvm.args (Maven cannot source a shell file): change both together.
tornado_jvm_options() {
  local sdk="$1"
  TORNADO_OPTS=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --enable-preview
    "-Djava.library.path=$sdk/lib" --module-path "$sdk/share/java/tornado"
    --upgrade-module-path "$sdk/share/java/graalJars"
    -Dtornado.load.api.implementation=uk.ac.manchester.tornado.runtime.tasks.TornadoTaskGraph
    -Dtornado.load.runtime.implementation=uk.ac.manchester.tornado.runtime.TornadoCoreRuntime
    -Dtornado.load.tornado.implementation=uk.ac.manchester.tornado.runtime.common.Tornado
    -Dtornado.load.annotation.implementation=uk.ac.manchester.tornado.annotation.ASMClassVisitor
    -Dtornado.load.annotation.parallel=uk.ac.manchester.tornado.api.annotations.Parallel
    "@$sdk/etc/exportLists/common-exports" "@$sdk/etc/exportLists/opencl-exports"
    --enable-native-access=tornado.drivers.opencl
    --add-modules ALL-SYSTEM,tornado.runtime,tornado.annotation,tornado.drivers.common,tornado.drivers.opencl
    -Dtornado.recover.bailout=False)
}
