// OWL 2 DL profile check with the OWL API: for each file argument, one line
// "<file>\t<axioms>\t<violations>" followed by the violations, one per line prefixed by a tab.
// Exit status 1 when any file is outside the profile. Run as a single-file source program:
//   java -cp "<owlapi jars>" ProfileCheck.java FILE...
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        boolean allInProfile = true;
        for (String name : args) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(name));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            System.out.println(name + "\t" + ontology.getAxiomCount() + "\t"
                + report.getViolations().size());
            for (OWLProfileViolation violation : report.getViolations()) {
                System.out.println("\t" + violation);
            }
            allInProfile &= report.isInProfile();
        }
        System.exit(allInProfile ? 0 : 1);
    }
}
