/*
 * Licensed under the Apache License, Version 2.0.
 *
 * Starts a single Elasticsearch node whose plugins come from the classpath
 * (transport-netty4 for HTTP, plus our own analysis plugin). Modelled on the
 * test framework's MockNode, but without any mocks. It lives in
 * org.elasticsearch.node because NodeConstruction is package-private.
 */
package org.elasticsearch.node;

import org.apache.logging.log4j.LogManager;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import esnode.analysis.LocalAnalysisPlugin;
import esnode.rest.RootInfoPlugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public class LocalTestNode extends Node {

    static final List<Class<? extends Plugin>> PLUGINS = List.of(Netty4Plugin.class, LocalAnalysisPlugin.class, RootInfoPlugin.class);

    private LocalTestNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader pluginsLoader) {
                return new ClasspathPluginsService(env.settings(), env, plugins);
            }
        }, true));
    }

    /**
     * Usage: LocalTestNode &lt;home-dir&gt;. Node settings are read from
     * &lt;home&gt;/config/elasticsearch.yml (written by scripts/elasticsearch).
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: LocalTestNode <home>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path config = home.resolve("config");
        // prepareEnvironment reads <config>/elasticsearch.yml itself
        Settings settings = Settings.builder().put("path.home", home.toString()).build();

        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Collections.emptyMap(), config, () -> "local-node");
        Files.createDirectories(environment.logsDir());

        LogConfigurator.registerErrorListener();
        LogConfigurator.setClusterName(ClusterName.CLUSTER_NAME_SETTING.get(environment.settings()).value());
        LogConfigurator.setNodeName(Node.NODE_NAME_SETTING.get(environment.settings()));
        LogConfigurator.configure(environment, true);

        final Node node = new LocalTestNode(environment, PLUGINS);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                LogManager.getLogger(LocalTestNode.class).warn("error while stopping node", e);
            } finally {
                stopped.countDown();
            }
        }, "local-node-shutdown"));
        node.start();
        LogManager.getLogger(LocalTestNode.class).info("local test node started");
        stopped.await();
    }
}
