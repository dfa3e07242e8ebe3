// Every language's catalog, for the pages and the console (the widget loads only the one it needs: widget/words.ts).
import ar from './ar.json';
import de from './de.json';
import es from './es.json';
import fr from './fr.json';
import { addCatalog } from './index';

addCatalog('es', es);
addCatalog('de', de);
addCatalog('fr', fr);
addCatalog('ar', ar);
