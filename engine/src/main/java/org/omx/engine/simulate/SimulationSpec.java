package org.omx.engine.simulate;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link CohortSimulator} plants and how much of it. {@link #defaults()} is the demo cohort:
 * 300 people, 2,000 variants, 1,000 genes in 5 modules, 200 proteins, 150 metabolites, 100 taxa.
 *
 * @param cohort                   the cohort's name in the manifest
 * @param seed                     everything written is a function of this seed (and the other fields)
 * @param samples                  people; IDs P000001, P000002, ...
 * @param variants                 biallelic SNPs spread over chromosomes 1-22
 * @param genes                    RNA-seq genes
 * @param proteins                 proteins; protein i is the product of gene floor(i * genes / proteins)
 * @param metabolites              metabolites
 * @param taxa                     microbial taxa
 * @param modules                  planted co-expression modules (numbered 1..modules; 0 is grey)
 * @param moduleGeneFraction       share of genes assigned to some module; the rest are grey
 * @param populations              populations for the Balding-Nichols model
 * @param fst                      Wright's F_ST between each population and the ancestral one
 * @param batches                  processing batches, each with its own per-feature shifts
 * @param genotypeMissingRate      share of genotype calls set missing, at random
 * @param proteinMissingRate       share of protein values set missing, at random
 * @param metaboliteMissingRate    share of metabolite values set missing at random, besides ...
 * @param metaboliteBelowDetection ... the share of each metabolite's distribution below its
 *                                 detection limit (missing not at random)
 * @param causalVariants           causal variants for each of the two traits
 * @param heritability             share of disease liability variance from the causal variants
 * @param moduleEffect             share of disease liability variance from module 1's eigengene
 * @param prevalence               disease prevalence the liability threshold is set for
 * @param readDepth                mean microbiome reads per sample
 */
public record SimulationSpec(String cohort, long seed, int samples, int variants, int genes, int proteins,
                             int metabolites, int taxa, int modules, double moduleGeneFraction, int populations,
                             double fst, int batches, double genotypeMissingRate, double proteinMissingRate,
                             double metaboliteMissingRate, double metaboliteBelowDetection, int causalVariants,
                             double heritability, double moduleEffect, double prevalence, double readDepth) {

    /** Liability variance shares of the environment and age, fixed; see {@link CohortSimulator}. */
    static final double SMOKING_SHARE = 0.06;
    static final double DIET_SHARE = 0.04;
    static final double AGE_SHARE = 0.05;

    public SimulationSpec {
        if (cohort == null || cohort.isBlank()) throw new IllegalArgumentException("cohort name is empty");
        positive("samples", samples);
        positive("variants", variants);
        positive("populations", populations);
        positive("batches", batches);
        nonNegative("genes", genes);
        nonNegative("proteins", proteins);
        nonNegative("metabolites", metabolites);
        nonNegative("taxa", taxa);
        nonNegative("modules", modules);
        if (proteins > 0 && genes == 0) throw new IllegalArgumentException("proteins need genes to derive from");
        if (modules > 0 && genes == 0) throw new IllegalArgumentException("modules need genes");
        if (causalVariants < 0 || 2L * causalVariants > variants)
            throw new IllegalArgumentException("causalVariants must be between 0 and variants / 2: " + causalVariants);
        share("moduleGeneFraction", moduleGeneFraction);
        share("genotypeMissingRate", genotypeMissingRate);
        share("proteinMissingRate", proteinMissingRate);
        share("metaboliteMissingRate", metaboliteMissingRate);
        if (!(metaboliteBelowDetection >= 0 && metaboliteBelowDetection < 0.5))
            throw new IllegalArgumentException("metaboliteBelowDetection must be in [0, 0.5): " + metaboliteBelowDetection);
        if (!(fst > 0 && fst < 0.5)) throw new IllegalArgumentException("fst must be in (0, 0.5): " + fst);
        if (!(prevalence > 0 && prevalence < 1)) throw new IllegalArgumentException("prevalence must be in (0, 1)");
        share("heritability", heritability);
        share("moduleEffect", moduleEffect);
        if (heritability + moduleEffect + SMOKING_SHARE + DIET_SHARE + AGE_SHARE > 1)
            throw new IllegalArgumentException("heritability + moduleEffect must leave room for the environment ("
                    + (SMOKING_SHARE + DIET_SHARE + AGE_SHARE) + ") in a liability of variance 1");
        if (!(readDepth >= 1)) throw new IllegalArgumentException("readDepth must be at least 1");
    }

    /** The demo cohort; simulates in well under a few seconds. */
    public static SimulationSpec defaults() {
        return new SimulationSpec("simulated", 42, 300, 2_000, 1_000, 200, 150, 100, 5, 0.6, 3, 0.08, 3,
                0.01, 0.05, 0.02, 0.10, 20, 0.3, 0.15, 0.2, 20_000);
    }

    public SimulationSpec withSeed(long seed) {
        return new SimulationSpec(cohort, seed, samples, variants, genes, proteins, metabolites, taxa, modules,
                moduleGeneFraction, populations, fst, batches, genotypeMissingRate, proteinMissingRate,
                metaboliteMissingRate, metaboliteBelowDetection, causalVariants, heritability, moduleEffect,
                prevalence, readDepth);
    }

    /** The same planted structure at another size. */
    public SimulationSpec withShape(int samples, int variants, int genes, int proteins, int metabolites, int taxa) {
        return new SimulationSpec(cohort, seed, samples, variants, genes, proteins, metabolites, taxa, modules,
                moduleGeneFraction, populations, fst, batches, genotypeMissingRate, proteinMissingRate,
                metaboliteMissingRate, metaboliteBelowDetection, Math.min(causalVariants, variants / 2),
                heritability, moduleEffect, prevalence, readDepth);
    }

    /** Every field as text, in declaration order: the parameters of the "simulate" provenance step. */
    public Map<String, String> asParameters() {
        Map<String, String> m = new LinkedHashMap<>();
        for (RecordComponent c : SimulationSpec.class.getRecordComponents()) {
            try {
                m.put(c.getName(), String.valueOf(c.getAccessor().invoke(this)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return m;
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive: " + v);
    }

    private static void nonNegative(String name, int v) {
        if (v < 0) throw new IllegalArgumentException(name + " must not be negative: " + v);
    }

    private static void share(String name, double v) {
        if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(name + " must be in [0, 1]: " + v);
    }
}
