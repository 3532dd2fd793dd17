/*
 * Licensed under the Apache License, Version 2.0.
 *
 * A small stand-in for Elasticsearch's "analysis-common" module, which is not
 * published to Maven Central. It exposes a handful of Lucene analysis
 * components under the names Elasticsearch uses for them, so that index
 * settings written for a stock Elasticsearch work unchanged against the local
 * test node. Only the options listed below are implemented.
 *
 *   analyzers:     dutch, english            (stopwords, stem_exclusion)
 *   tokenizers:    edge_ngram, ngram         (min_gram, max_gram, token_chars, custom_token_chars)
 *                  whitespace, keyword, letter
 *   token filters: asciifolding              (preserve_original)
 *                  lowercase, uppercase      (language: greek|irish|turkish for lowercase)
 *                  edge_ngram, ngram         (min_gram, max_gram, preserve_original)
 *                  snowball                  (language, e.g. Dutch)
 *                  stemmer                   (language / name: dutch, english, porter2, light_english, minimal_english,
 *                                             possessive_english, or any Snowball language name)
 *                  trim, unique (only_on_same_position), length (min, max), reverse, elision (articles)
 *   char filters:  html_strip
 * Built into the server already: standard analyzer/tokenizer, stop filter (incl. "_dutch_"),
 * shingle, lowercase (pre-configured), keyword/whitespace/simple/stop analyzers.
 */
package esnode.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.io.IOException;
import java.io.Reader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntPredicate;

public class LocalAnalysisPlugin extends Plugin implements AnalysisPlugin {

    // ---------------------------------------------------------------- analyzers

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new TreeMap<>();
        m.put("dutch", (is, env, name, s) -> analyzer(name, new DutchAnalyzer(
            Analysis.parseStopWords(env, s, DutchAnalyzer.getDefaultStopSet()),
            Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
        )));
        m.put("english", (is, env, name, s) -> analyzer(name, new EnglishAnalyzer(
            Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET),
            Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET)
        )));
        return m;
    }

    private static <A extends Analyzer> AnalyzerProvider<A> analyzer(String name, A analyzer) {
        return new AbstractIndexAnalyzerProvider<A>(name) {
            @Override
            public A get() {
                return analyzer;
            }
        };
    }

    // ---------------------------------------------------------------- tokenizers

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new TreeMap<>();
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            IntPredicate tokenChars = tokenChars(s);
            return tokenizer(name, () -> tokenChars == null ? new EdgeNGramTokenizer(min, max) : new EdgeNGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            });
        });
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            checkNgramDiff(is, min, max, "NGram Tokenizer");
            IntPredicate tokenChars = tokenChars(s);
            return tokenizer(name, () -> tokenChars == null ? new NGramTokenizer(min, max) : new NGramTokenizer(min, max) {
                @Override
                protected boolean isTokenChar(int chr) {
                    return tokenChars.test(chr);
                }
            });
        });
        m.put("whitespace", (is, env, name, s) -> tokenizer(name, WhitespaceTokenizer::new));
        m.put("keyword", (is, env, name, s) -> tokenizer(name, KeywordTokenizer::new));
        m.put("letter", (is, env, name, s) -> tokenizer(name, LetterTokenizer::new));
        return m;
    }

    private static TokenizerFactory tokenizer(String name, java.util.function.Supplier<Tokenizer> supplier) {
        return new AbstractTokenizerFactory(name) {
            @Override
            public Tokenizer create() {
                return supplier.get();
            }
        };
    }

    /** Elasticsearch's token_chars option: null means "keep all characters". */
    private static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate p = c -> false;
        for (String cls : classes) {
            switch (cls.toLowerCase(Locale.ROOT)) {
                case "letter" -> p = p.or(Character::isLetter);
                case "digit" -> p = p.or(Character::isDigit);
                case "whitespace" -> p = p.or(Character::isWhitespace);
                case "punctuation" -> p = p.or(c -> switch (Character.getType(c)) {
                    case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                        Character.OTHER_PUNCTUATION -> true;
                    default -> false;
                });
                case "symbol" -> p = p.or(c -> switch (Character.getType(c)) {
                    case Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
                    default -> false;
                });
                case "custom" -> {
                    String custom = s.get("custom_token_chars", "");
                    Set<Integer> cps = new HashSet<>();
                    custom.codePoints().forEach(cps::add);
                    p = p.or(cps::contains);
                }
                default -> throw new IllegalArgumentException("Unknown token type: '" + cls + "', must be one of [letter, digit, whitespace, punctuation, symbol, custom]");
            }
        }
        return p;
    }

    private static void checkNgramDiff(IndexSettings is, int min, int max, String what) {
        int allowed = is.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException("The difference between max_gram and min_gram in " + what
                + " must be less than or equal to: [" + allowed + "] but was [" + (max - min)
                + "]. This limit can be set by changing the [" + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting.");
        }
    }

    // ---------------------------------------------------------------- token filters

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new TreeMap<>();
        m.put("asciifolding", (is, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return normalizingFilter(name, ts -> new ASCIIFoldingFilter(ts, preserve));
        });
        m.put("lowercase", (is, env, name, s) -> {
            String lang = s.get("language");
            if (lang == null) {
                return normalizingFilter(name, LowerCaseFilter::new);
            }
            return switch (lang.toLowerCase(Locale.ROOT)) {
                case "greek" -> normalizingFilter(name, GreekLowerCaseFilter::new);
                case "irish" -> normalizingFilter(name, IrishLowerCaseFilter::new);
                case "turkish" -> normalizingFilter(name, TurkishLowerCaseFilter::new);
                default -> throw new IllegalArgumentException("language [" + lang + "] not support for lower case");
            };
        });
        m.put("uppercase", (is, env, name, s) -> normalizingFilter(name, UpperCaseFilter::new));
        m.put("edge_ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            if (s.get("side") != null && "front".equals(s.get("side")) == false) {
                throw new IllegalArgumentException("side=back is not supported, use a reverse filter");
            }
            return filter(name, ts -> new EdgeNGramTokenFilter(ts, min, max, preserve));
        });
        m.put("ngram", (is, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1);
            int max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            checkNgramDiff(is, min, max, "NGram Token Filter");
            return filter(name, ts -> new NGramTokenFilter(ts, min, max, preserve));
        });
        m.put("snowball", (is, env, name, s) -> {
            String lang = snowballName(s.get("language", "English"));
            checkSnowball(lang, lang);
            return filter(name, ts -> new SnowballFilter(ts, lang));
        });
        m.put("stemmer", (is, env, name, s) -> stemmer(name, s.get("language", s.get("name", "porter"))));
        m.put("trim", (is, env, name, s) -> normalizingFilter(name, TrimFilter::new));
        m.put("unique", (is, env, name, s) -> s.getAsBoolean("only_on_same_position", false)
            ? filter(name, RemoveDuplicatesTokenFilter::new)
            : filter(name, UniqueTokenFilter::new));
        m.put("reverse", (is, env, name, s) -> filter(name, ReverseStringFilter::new));
        m.put("length", (is, env, name, s) -> {
            int min = s.getAsInt("min", 0);
            int max = s.getAsInt("max", Integer.MAX_VALUE);
            return filter(name, ts -> new LengthFilter(ts, min, max));
        });
        m.put("elision", (is, env, name, s) -> {
            CharArraySet articles = Analysis.parseArticles(env, s);
            boolean ignoreCase = s.getAsBoolean("articles_case", false);
            CharArraySet set = articles == null ? null : (ignoreCase ? new CharArraySet(articles, true) : articles);
            return normalizingFilter(name, ts -> set == null ? new ElisionFilter(ts, org.apache.lucene.analysis.fr.FrenchAnalyzer.DEFAULT_ARTICLES) : new ElisionFilter(ts, set));
        });
        return m;
    }

    private static TokenFilterFactory stemmer(String name, String language) {
        String lang = language.toLowerCase(Locale.ROOT);
        return switch (lang) {
            case "english", "porter" -> filter(name, PorterStemFilter::new);
            case "light_english", "kstem" -> filter(name, KStemFilter::new);
            case "minimal_english" -> filter(name, EnglishMinimalStemFilter::new);
            case "possessive_english" -> filter(name, EnglishPossessiveFilter::new);
            case "porter2" -> filter(name, ts -> new SnowballFilter(ts, "English"));
            case "dutch_kp", "kp" -> filter(name, ts -> new SnowballFilter(ts, "Dutch"));
            default -> {
                String snowball = snowballName(lang);
                checkSnowball(snowball, language);
                yield filter(name, ts -> new SnowballFilter(ts, snowball));
            }
        };
    }

    private static void checkSnowball(String snowball, String language) {
        try {
            Class.forName("org.tartarus.snowball.ext." + snowball + "Stemmer", false, SnowballFilter.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Unknown stemmer language [" + language + "]");
        }
    }

    /** "dutch" -> "Dutch", "porter" stays as is (Lucene's Snowball class names are capitalised). */
    private static String snowballName(String language) {
        if (language.isEmpty()) {
            throw new IllegalArgumentException("empty snowball language");
        }
        String lower = language.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }

    /** Drops tokens whose term was already seen earlier in the stream (Elasticsearch's "unique"). */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueTokenFilter(TokenStream in) {
            super(in);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (seen.contains(termAtt.buffer(), 0, termAtt.length()) == false) {
                    seen.add(termAtt.toString());
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }

    private static TokenFilterFactory filter(String name, Function<TokenStream, TokenStream> f) {
        return new AbstractTokenFilterFactory(name) {
            @Override
            public TokenStream create(TokenStream tokenStream) {
                return f.apply(tokenStream);
            }
        };
    }

    private static TokenFilterFactory normalizingFilter(String name, Function<TokenStream, TokenStream> f) {
        class Normalizing extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
            Normalizing() {
                super(name);
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                return f.apply(tokenStream);
            }
        }
        return new Normalizing();
    }

    // ---------------------------------------------------------------- char filters

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new TreeMap<>();
        m.put("html_strip", (is, env, name, s) -> {
            Set<String> escaped = new HashSet<>(s.getAsList("escaped_tags"));
            return new AbstractCharFilterFactory(name) {
                @Override
                public Reader create(Reader reader) {
                    return escaped.isEmpty() ? new HTMLStripCharFilter(reader) : new HTMLStripCharFilter(reader, escaped);
                }
            };
        });
        return m;
    }
}
