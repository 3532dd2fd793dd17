/*
 * Licensed under the Apache License, Version 2.0.
 *
 * A PluginsService that only knows about plugin classes already on the
 * classpath (no modules/ or plugins/ directories), in the spirit of the
 * test framework's MockPluginsService. It lives in org.elasticsearch.plugins
 * because the hooks it needs are package-private.
 */
package org.elasticsearch.plugins;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.function.Predicate;
import org.elasticsearch.plugins.spi.SPIClassIterator;
import java.lang.reflect.Constructor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> classpathPlugins;

    public ClasspathPluginsService(Settings settings, Environment environment, Collection<Class<? extends Plugin>> pluginClasses) {
        super(settings, environment.configDir(), new PluginsLoader(Collections.emptySet(), Collections.emptySet(), Collections.emptyMap()));
        List<LoadedPlugin> loaded = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            Plugin plugin = loadPlugin(pluginClass, settings, environment.configDir());
            PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getName(),
                "classpath plugin",
                "NA",
                Build.current().version(),
                Integer.toString(Runtime.version().feature()),
                pluginClass.getName(),
                null,
                Collections.emptyList(),
                false,
                false,
                false,
                false,
                PluginDescriptor.DeploymentTarget.ALL
            );
            loaded.add(new LoadedPlugin(descriptor, plugin, ClasspathPluginsService.class.getClassLoader()));
        }
        for (LoadedPlugin p : loaded) {
            if (p.instance() instanceof ExtensiblePlugin extensible) {
                extensible.loadExtensions(new ExtensiblePlugin.ExtensionLoader() {
                    @Override
                    public <T> List<T> loadExtensions(Class<T> extensionPointType) {
                        Map<Class<?>, T> result = new HashMap<>();
                        for (LoadedPlugin candidate : loaded) {
                            createExtensions(extensionPointType, candidate.instance(), result::containsKey).forEach(
                                e -> result.put(e.getClass(), e)
                            );
                        }
                        return List.copyOf(result.values());
                    }
                });
            }
        }
        this.classpathPlugins = List.copyOf(loaded);
    }

    @Override
    protected final List<LoadedPlugin> plugins() {
        return classpathPlugins;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(
            classpathPlugins.stream().map(LoadedPlugin::descriptor).map(PluginRuntimeInfo::new).toList(),
            List.of()
        );
    }

    @Override
    public <T> List<? extends T> loadServiceProviders(Class<T> service) {
        Map<Class<?>, T> result = new HashMap<>();
        for (LoadedPlugin p : classpathPlugins) {
            createExtensions(service, p.instance(), result::containsKey).forEach(e -> result.put(e.getClass(), e));
        }
        return List.copyOf(result.values());
    }

    /**
     * All plugins share one class loader here, so the SPI iterator finds every
     * provider for every plugin: skip duplicates and providers whose one-arg
     * constructor expects a different plugin type (same approach as the test
     * framework's MockPluginsService).
     */
    private static <T> List<T> createExtensions(Class<T> extensionPointType, Plugin plugin, Predicate<Class<? extends T>> alreadyLoaded) {
        List<T> extensions = new ArrayList<>();
        var it = SPIClassIterator.get(extensionPointType, plugin.getClass().getClassLoader());
        while (it.hasNext()) {
            Class<? extends T> extensionClass = it.next();
            if (alreadyLoaded.test(extensionClass)) {
                continue;
            }
            boolean compatible = true;
            for (Constructor<?> constructor : extensionClass.getConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0].isAssignableFrom(plugin.getClass()) == false) {
                    compatible = false;
                    break;
                }
            }
            if (compatible) {
                extensions.add(createExtension(extensionClass, extensionPointType, plugin));
            }
        }
        return extensions;
    }
}
